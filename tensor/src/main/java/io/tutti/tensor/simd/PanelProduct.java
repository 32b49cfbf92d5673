package io.tutti.tensor.simd;

import static io.tutti.tensor.simd.MicroKernel.MR;
import static io.tutti.tensor.simd.MicroKernel.NR;

/**
 * A single-threaded packed product {@code C (+)= A · B} for kernels that run many products side by
 * side, one per thread, such as the convolution's one per image: A is packed once over its whole
 * depth and reused, and B is any {@link BlockSource}, so the caller decides how a block of it is
 * read (shifted image rows, columns of a transposed operand) without ever building B in memory.
 *
 * <p>The loop nest is {@link Gemm}'s without the split over threads: B is packed a depth slice and
 * {@link Gemm#NC} columns at a time, each micro-panel of it stays in L1 while every panel of A
 * streams past from L2.
 */
final class PanelProduct {
    /** Packs a block of B in {@link PackedPanels}' B layout. */
    @FunctionalInterface
    interface BlockSource {
        /** Packs {@code B[k0 .. k0 + kc, c0 .. c0 + cols]} into {@code dst}. */
        void pack(int k0, int kc, int c0, int cols, float[] dst);
    }

    /** One thread's packing buffer and edge tile. */
    static final class Scratch {
        final ScratchArray packedB = new ScratchArray();
        final float[] tile = new float[MR * NR];
    }

    private PanelProduct() {
    }

    /**
     * {@code C[i, j] (+)= sum_p A[i, p] B[p, j]} for {@code i < m, j < n, p < k}, C row-major at
     * {@code co} with row stride {@code ldc}; {@code accumulate} adds to C instead of overwriting it.
     * {@code packedA} is A packed by {@link PackedPanels#packA} over its whole depth {@code k}, so that
     * any depth slice of a panel is one contiguous run the micro-kernel can read.
     */
    static void multiply(float[] packedA, int m, int k, BlockSource b, int n, float[] c, int co, int ldc, boolean accumulate,
                         Scratch scratch) {
        int step = Gemm.depthStep(k);
        for (int jc = 0; jc < n; jc += Gemm.NC) {
            int nc = Math.min(Gemm.NC, n - jc);
            for (int pc = 0; pc < k; pc += step) {
                int kc = Math.min(step, k - pc);
                float[] packedB = scratch.packedB.atLeast(PackedPanels.packedBSize(kc, nc));
                b.pack(pc, kc, jc, nc, packedB);
                Gemm.macroKernel(packedA, MR * k, pc * MR, packedB, NR * kc, 0, m, nc, kc, c, co + jc, ldc, 1,
                        accumulate || pc > 0, scratch.tile);
            }
        }
    }
}
