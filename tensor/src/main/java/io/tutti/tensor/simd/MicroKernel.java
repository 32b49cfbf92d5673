package io.tutti.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The innermost piece of the packed GEMM: multiplies one packed {@link #MR}-row panel of A by one
 * packed {@link #NR}-column panel of B over a depth of {@code kc}, keeping the whole
 * {@code MR x NR} tile of C in vector registers, and only then touches C once.
 *
 * <p>Each kernel lives in a method of its own, small enough for C2 to compile it normally and keep
 * every accumulator in a register; inlined into a large caller it would be compiled on-stack and
 * spill (that cost a factor of ten on JDK 25).
 */
final class MicroKernel {
    /** Vector shape: the widest the CPU offers (16 floats with AVX-512, 8 with AVX2). */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();

    /**
     * Whether the CPU has 32 vector registers (AVX-512 does, and is the only x86 set whose preferred
     * float vector has 16 lanes): room for 8 x 2 accumulators. AVX2's 16 registers fit 6 x 2 plus
     * the two B vectors and a broadcast.
     */
    private static final boolean MANY_REGISTERS = L >= 16;

    /** Rows of C per tile: one broadcast of A each per step of k. */
    static final int MR = MANY_REGISTERS ? 8 : 6;
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
        // Four kernels rather than two with a branch at the end: each is one smaller compilation unit,
        // and a kernel holding both store sequences was sometimes compiled (about one JVM run in four)
        // with some of its vector stores left to the Vector API's boxing fallback.
        if (MANY_REGISTERS) {
            if (accumulate) {
                tile8Add(kc, a, ai, b, bi, c, ci, ldc);
            } else {
                tile8Set(kc, a, ai, b, bi, c, ci, ldc);
            }
        } else if (accumulate) {
            tile6Add(kc, a, ai, b, bi, c, ci, ldc);
        } else {
            tile6Set(kc, a, ai, b, bi, c, ci, ldc);
        }
    }

    /** The 8-row kernel adding its tile to C: 16 accumulators, two B vectors and a broadcast in flight. */
    static void tile8Add(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES); FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES); FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES); FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES); FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES); FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES); FloatVector c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES); FloatVector c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES); FloatVector c71 = FloatVector.zero(SPECIES);
        for (int k = 0; k < kc; k++) {
            int bk = bi + k * NR;
            int ak = ai + k * 8;
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
            x = FloatVector.broadcast(SPECIES, a[ak + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[ak + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        // Stores written out here, not in a helper: a vector passed to a call that C2 does not
        // inline gets boxed on the heap.
        c00.add(FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
        c01.add(FloatVector.fromArray(SPECIES, c, ci + L)).intoArray(c, ci + L);
        c10.add(FloatVector.fromArray(SPECIES, c, ci + ldc)).intoArray(c, ci + ldc);
        c11.add(FloatVector.fromArray(SPECIES, c, ci + ldc + L)).intoArray(c, ci + ldc + L);
        c20.add(FloatVector.fromArray(SPECIES, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
        c21.add(FloatVector.fromArray(SPECIES, c, ci + 2 * ldc + L)).intoArray(c, ci + 2 * ldc + L);
        c30.add(FloatVector.fromArray(SPECIES, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
        c31.add(FloatVector.fromArray(SPECIES, c, ci + 3 * ldc + L)).intoArray(c, ci + 3 * ldc + L);
        c40.add(FloatVector.fromArray(SPECIES, c, ci + 4 * ldc)).intoArray(c, ci + 4 * ldc);
        c41.add(FloatVector.fromArray(SPECIES, c, ci + 4 * ldc + L)).intoArray(c, ci + 4 * ldc + L);
        c50.add(FloatVector.fromArray(SPECIES, c, ci + 5 * ldc)).intoArray(c, ci + 5 * ldc);
        c51.add(FloatVector.fromArray(SPECIES, c, ci + 5 * ldc + L)).intoArray(c, ci + 5 * ldc + L);
        c60.add(FloatVector.fromArray(SPECIES, c, ci + 6 * ldc)).intoArray(c, ci + 6 * ldc);
        c61.add(FloatVector.fromArray(SPECIES, c, ci + 6 * ldc + L)).intoArray(c, ci + 6 * ldc + L);
        c70.add(FloatVector.fromArray(SPECIES, c, ci + 7 * ldc)).intoArray(c, ci + 7 * ldc);
        c71.add(FloatVector.fromArray(SPECIES, c, ci + 7 * ldc + L)).intoArray(c, ci + 7 * ldc + L);
    }

    /** {@link #tile8Add} overwriting C instead of adding to it. */
    static void tile8Set(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES); FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES); FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES); FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES); FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES); FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES); FloatVector c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES); FloatVector c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES); FloatVector c71 = FloatVector.zero(SPECIES);
        for (int k = 0; k < kc; k++) {
            int bk = bi + k * NR;
            int ak = ai + k * 8;
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
            x = FloatVector.broadcast(SPECIES, a[ak + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[ak + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        // Stores written out here, not in a helper: a vector passed to a call that C2 does not
        // inline gets boxed on the heap.
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

    /** The 6-row kernel adding its tile to C: 12 accumulators, two B vectors and a broadcast in flight. */
    static void tile6Add(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES); FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES); FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES); FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES); FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES); FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES); FloatVector c51 = FloatVector.zero(SPECIES);
        for (int k = 0; k < kc; k++) {
            int bk = bi + k * NR;
            int ak = ai + k * 6;
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
        // Stores written out here, not in a helper: a vector passed to a call that C2 does not
        // inline gets boxed on the heap.
        c00.add(FloatVector.fromArray(SPECIES, c, ci)).intoArray(c, ci);
        c01.add(FloatVector.fromArray(SPECIES, c, ci + L)).intoArray(c, ci + L);
        c10.add(FloatVector.fromArray(SPECIES, c, ci + ldc)).intoArray(c, ci + ldc);
        c11.add(FloatVector.fromArray(SPECIES, c, ci + ldc + L)).intoArray(c, ci + ldc + L);
        c20.add(FloatVector.fromArray(SPECIES, c, ci + 2 * ldc)).intoArray(c, ci + 2 * ldc);
        c21.add(FloatVector.fromArray(SPECIES, c, ci + 2 * ldc + L)).intoArray(c, ci + 2 * ldc + L);
        c30.add(FloatVector.fromArray(SPECIES, c, ci + 3 * ldc)).intoArray(c, ci + 3 * ldc);
        c31.add(FloatVector.fromArray(SPECIES, c, ci + 3 * ldc + L)).intoArray(c, ci + 3 * ldc + L);
        c40.add(FloatVector.fromArray(SPECIES, c, ci + 4 * ldc)).intoArray(c, ci + 4 * ldc);
        c41.add(FloatVector.fromArray(SPECIES, c, ci + 4 * ldc + L)).intoArray(c, ci + 4 * ldc + L);
        c50.add(FloatVector.fromArray(SPECIES, c, ci + 5 * ldc)).intoArray(c, ci + 5 * ldc);
        c51.add(FloatVector.fromArray(SPECIES, c, ci + 5 * ldc + L)).intoArray(c, ci + 5 * ldc + L);
    }

    /** {@link #tile6Add} overwriting C instead of adding to it. */
    static void tile6Set(int kc, float[] a, int ai, float[] b, int bi, float[] c, int ci, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES); FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES); FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES); FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES); FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES); FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES); FloatVector c51 = FloatVector.zero(SPECIES);
        for (int k = 0; k < kc; k++) {
            int bk = bi + k * NR;
            int ak = ai + k * 6;
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
        // Stores written out here, not in a helper: a vector passed to a call that C2 does not
        // inline gets boxed on the heap.
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
