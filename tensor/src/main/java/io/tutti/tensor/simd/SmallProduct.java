package io.tutti.tensor.simd;

import jdk.incubator.vector.FloatVector;

import static io.tutti.tensor.simd.MicroKernel.MR;
import static io.tutti.tensor.simd.MicroKernel.NR;
import static io.tutti.tensor.simd.MicroKernel.SPECIES;

/**
 * Small products, one of a batch (attention's {@code [32, 32] x [32, 32]} per head), without packing
 * A. Packing pays for itself when a packed panel feeds many tiles; in a {@code 32 x 32 x 32} product
 * each panel of A feeds one tile, and scattering A into panels (and gathering B) cost more than the
 * multiplication (reading A in place made attention's products 1.4-2x faster). Here the register tile reads A through its strides, whatever they are, and reads
 * B's rows where they lie when they are contiguous; only a B whose rows are not (a transposed view,
 * as {@code k.mT()} in attention) is packed, into the same {@link MicroKernel#NR}-wide panels the
 * packed kernel uses.
 *
 * <p>The tile kernels take every stride as a variable, so C2 cannot hoist their bounds checks as it
 * does for the packed {@link MicroKernel}; they are meant for small products only, and large ones keep
 * the packed path (reading a row-major A in place in large products too measured slower).
 */
final class SmallProduct {
    private static final int L = SPECIES.length();
    /** Deepest product taken: half of one packed slice ({@link Gemm#KC}); deeper ones are not small. */
    static final int MAX_DEPTH = 256;

    private SmallProduct() {
    }

    /** Whether {@link #multiply} takes an {@code m x k} by {@code k x n} product into a C with unit column stride. */
    static boolean takes(int m, int n, int k, int ccs) {
        return ccs == 1 && m % MR == 0 && n % NR == 0 && k > 0 && k <= MAX_DEPTH;
    }

    /**
     * {@code C = A B} with {@code A[i, p] = a[ao + i*ars + p*acs]}, {@code B[p, j] = b[bo + p*brs + j*bcs]}
     * and {@code C[i, j] = c[co + i*crs + j]}, for a shape {@link #takes} accepts; {@code packedB} is
     * scratch for a B with non-unit column stride.
     */
    static void multiply(float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs, float[] c, int co, int crs,
                         int m, int n, int k, ScratchArray packedB) {
        float[] bRows = b;
        int bRowStride = brs;
        if (bcs != 1) {
            bRows = packedB.atLeast(PackedPanels.packedBSize(k, n));
            PackedPanels.packB(b, bo, brs, bcs, k, n, bRows);
            bRowStride = NR;
        }
        for (int j = 0; j < n; j += NR) {
            // Panel j / NR of B: in place at column j, or packed at panel offset j * k.
            int bi = bcs != 1 ? j * k : bo + j;
            for (int i = 0; i < m; i += MR) {
                if (MR == 8) {
                    tile8(k, a, ao + i * ars, ars, acs, bRows, bi, bRowStride, c, co + i * crs + j, crs);
                } else {
                    tile6(k, a, ao + i * ars, ars, acs, bRows, bi, bRowStride, c, co + i * crs + j, crs);
                }
            }
        }
    }

    /** The 8-row tile: 2 x 8 accumulators, two B vectors and a broadcast in flight. */
    static void tile8(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int brs, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES); FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES); FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES); FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES); FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES); FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES); FloatVector c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES); FloatVector c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES); FloatVector c71 = FloatVector.zero(SPECIES);
        int a0 = ai, a1 = ai + ars, a2 = ai + 2 * ars, a3 = ai + 3 * ars, a4 = ai + 4 * ars, a5 = ai + 5 * ars, a6 = ai + 6 * ars, a7 = ai + 7 * ars;
        for (int k = 0, ak = 0, bk = bi; k < kc; k++, ak += acs, bk += brs) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bk);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bk + L);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[a1 + ak]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[a2 + ak]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[a3 + ak]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[a4 + ak]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[a5 + ak]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(SPECIES, a[a6 + ak]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[a7 + ak]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
        c60.intoArray(c, ci + 6 * ldc);
        c61.intoArray(c, ci + 6 * ldc + L);
        c70.intoArray(c, ci + 7 * ldc);
        c71.intoArray(c, ci + 7 * ldc + L);
    }

    /** The 6-row tile: 2 x 6 accumulators, two B vectors and a broadcast in flight. */
    static void tile6(int kc, float[] a, int ai, int ars, int acs, float[] b, int bi, int brs, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES); FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES); FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES); FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES); FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES); FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES); FloatVector c51 = FloatVector.zero(SPECIES);
        int a0 = ai, a1 = ai + ars, a2 = ai + 2 * ars, a3 = ai + 3 * ars, a4 = ai + 4 * ars, a5 = ai + 5 * ars;
        for (int k = 0, ak = 0, bk = bi; k < kc; k++, ak += acs, bk += brs) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bk);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bk + L);
            FloatVector x = FloatVector.broadcast(SPECIES, a[a0 + ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[a1 + ak]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[a2 + ak]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[a3 + ak]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[a4 + ak]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[a5 + ak]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + ldc);
        c11.intoArray(c, ci + ldc + L);
        c20.intoArray(c, ci + 2 * ldc);
        c21.intoArray(c, ci + 2 * ldc + L);
        c30.intoArray(c, ci + 3 * ldc);
        c31.intoArray(c, ci + 3 * ldc + L);
        c40.intoArray(c, ci + 4 * ldc);
        c41.intoArray(c, ci + 4 * ldc + L);
        c50.intoArray(c, ci + 5 * ldc);
        c51.intoArray(c, ci + 5 * ldc + L);
    }
}
