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

    /**
     * Rows of A up to which {@link #multiplyRows} reads B in place: with more, each packed panel of B
     * serves enough panels of A to repay its copy. Measured single-threaded at a convolution's
     * shapes, in place against packed: 32 rows 15-20% faster, 64 rows 3-7%.
     */
    static final int IN_PLACE_MAX_ROWS = 64;

    /**
     * {@code C[i, j] = sum_p A[i, p] b[bo + rowStart[p] + j]} for {@code i < m, j < n, p < k}: the
     * product with a B whose rows are runs of {@code b} starting anywhere, such as a convolution's
     * shifted image rows. With few rows of A, B is read in place by {@link RowIndexedKernel} (only
     * a last panel narrower than {@code NR} columns, or one whose full width would read past the end
     * of {@code b}, is packed); otherwise it is packed as by {@link #multiply}. C is row-major at
     * {@code co} with row stride {@code ldc} and is overwritten.
     */
    static void multiplyRows(float[] packedA, int m, int k, float[] b, int bo, int[] rowStart, int n, float[] c, int co,
                             int ldc, Scratch scratch) {
        if (m > IN_PLACE_MAX_ROWS) {
            multiply(packedA, m, k, (k0, kc, c0, cols, dst) -> PackedPanels.packBRows(b, rowStart, k0, kc, c0 + bo, cols, dst),
                    n, c, co, ldc, false, scratch);
            return;
        }
        int furthest = 0;
        for (int p = 0; p < k; p++) {
            furthest = Math.max(furthest, rowStart[p]);
        }
        for (int jr = 0; jr < n; jr += NR) {
            int width = Math.min(NR, n - jr);
            boolean inPlace = width == NR && (long) bo + furthest + jr + NR <= b.length;
            float[] packedB = null;
            if (!inPlace) {
                packedB = scratch.packedB.atLeast(PackedPanels.packedBSize(k, NR));
                PackedPanels.packBRows(b, rowStart, 0, k, bo + jr, width, packedB);
            }
            for (int ir = 0; ir < m; ir += MR) {
                int height = Math.min(MR, m - ir);
                int ai = ir * k;
                int ci = co + ir * ldc + jr;
                boolean whole = width == NR && height == MR;
                float[] dst = whole ? c : scratch.tile;
                int at = whole ? ci : 0;
                int stride = whole ? ldc : NR;
                if (inPlace) {
                    RowIndexedKernel.tile(k, packedA, ai, b, rowStart, bo + jr, dst, at, stride);
                } else {
                    MicroKernel.tile(k, packedA, ai, packedB, 0, dst, at, stride, false);
                }
                if (!whole) {
                    Gemm.mergeTile(scratch.tile, height, width, c, ci, ldc, 1, false);
                }
            }
        }
    }
}
