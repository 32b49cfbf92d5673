package io.tutti.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The innermost piece of the packed GEMM: multiplies one packed {@link #MR}-row panel of A by one
 * packed {@link #NR}-column panel of B over a depth of {@code kc}, keeping the whole
 * {@code MR x NR} tile of C in vector registers (12 accumulators of two vectors per row), and only
 * then touches C once.
 *
 * <p>The loop lives in a method of its own, small enough for C2 to compile it normally and keep
 * every accumulator in a register; inlined into a large caller it would be compiled on-stack and
 * spill (that cost a factor of ten on JDK 25).
 */
final class MicroKernel {
    /** Vector shape: the widest the CPU offers (16 floats with AVX-512, 8 with AVX2). */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    /** Rows of C per tile: one broadcast of A each per step of k. */
    static final int MR = 6;
    /** Columns of C per tile: two vectors of B per step of k. */
    static final int NR = 2 * L;

    private MicroKernel() {
    }

    /**
     * {@code C[0..MR, 0..NR] (+)= Apanel * Bpanel}. {@code a} holds {@code kc} groups of {@code MR}
     * floats from {@code ai} (column k of the panel is contiguous), {@code b} holds {@code kc} rows of
     * {@code NR} floats from {@code bi}. C is row-major at {@code ci} with row stride {@code ldc} and
     * unit column stride; when {@code accumulate} is false its old contents are overwritten.
     */
    static void tile(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector c00 = FloatVector.zero(SPECIES), c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES), c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES), c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES), c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES), c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES), c51 = FloatVector.zero(SPECIES);
        for (int k = 0; k < kc; k++) {
            int bk = bi + k * NR;
            int ak = ai + k * MR;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bk);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bk + L);
            FloatVector x = FloatVector.broadcast(SPECIES, a[ak]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[ak + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[ak + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[ak + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[ak + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[ak + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        store(c00, c01, c, ci, accumulate);
        store(c10, c11, c, ci + ldc, accumulate);
        store(c20, c21, c, ci + 2 * ldc, accumulate);
        store(c30, c31, c, ci + 3 * ldc, accumulate);
        store(c40, c41, c, ci + 4 * ldc, accumulate);
        store(c50, c51, c, ci + 5 * ldc, accumulate);
    }

    private static void store(FloatVector v0, FloatVector v1, float[] c, int at, boolean accumulate) {
        if (accumulate) {
            v0 = v0.add(FloatVector.fromArray(SPECIES, c, at));
            v1 = v1.add(FloatVector.fromArray(SPECIES, c, at + L));
        }
        v0.intoArray(c, at);
        v1.intoArray(c, at + L);
    }
}
