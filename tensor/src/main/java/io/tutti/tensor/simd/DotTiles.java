package io.tutti.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code out[i, j] = sum_q sum_p A_q[i, p] · B_q[j, p]}: a product of two matrices that both run
 * along the summed axis, summed over several parts {@code q}. This is the convolution's weight
 * gradient (output gradient times input windows, summed over positions and images), whose operands
 * would both need transposing for the packed GEMM; here they are read as they lie, a vector of
 * {@code p} at a time, into a 4 x 4 tile of vector accumulators that are summed across lanes once,
 * at the end of the whole depth of every part.
 *
 * <p>Row {@code i} of part {@code q} of A starts at {@code a[aBase[q] + aRow[i]]}, and likewise for B.
 * The depth is read in whole vectors, {@link #paddedDepth} elements per row, so that no loop needs
 * a masked tail: the caller pads every row of A with zeros up to that length and keeps the elements
 * B's rows run into finite (a zero times an infinity would be a NaN the true product lacks).
 */
final class DotTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int T = 4;

    private DotTiles() {
    }

    /** The depth rounded up to whole vectors: how far every row is read. */
    static int paddedDepth(int depth) {
        return (depth + L - 1) / L * L;
    }

    static void run(float[] a, int[] aBase, int[] aRow, int m, float[] b, int[] bBase, int[] bRow, int n, int parts,
                    int depth, float[] out, int ldo) {
        int mt = m - m % T;
        int nt = n - n % T;
        for (int i = 0; i < mt; i += T) {
            for (int j = 0; j < nt; j += T) {
                tile(a, aBase, aRow, i, b, bBase, bRow, j, parts, depth, out, ldo);
            }
        }
        // Ragged edges, one dot product at a time.
        for (int i = 0; i < m; i++) {
            for (int j = i < mt ? nt : 0; j < n; j++) {
                out[i * ldo + j] = dot(a, aBase, aRow[i], b, bBase, bRow[j], parts, depth);
            }
        }
    }

    private static float dot(float[] a, int[] aBase, int ar, float[] b, int[] bBase, int br, int parts, int depth) {
        float[] acc = new float[L];
        for (int q = 0; q < parts; q++) {
            accumulate(a, aBase[q] + ar, b, bBase[q] + br, depth, acc);
        }
        return sum(acc, 0);
    }

    /** One accumulator's worth of {@link #accumulate(float[], int, int, int, int, float[], int, int, int, int, int, float[])}. */
    private static void accumulate(float[] a, int ai, float[] b, int bi, int depth, float[] acc) {
        FloatVector c = FloatVector.fromArray(S, acc, 0);
        for (int p = 0; p < depth; p += L) {
            c = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bi + p), c);
        }
        c.intoArray(acc, 0);
    }

    /** The sum of the {@code L} lanes stored at {@code from}, in a fixed order. */
    private static float sum(float[] lanes, int from) {
        float total = 0f;
        for (int k = from; k < from + L; k++) {
            total += lanes[k];
        }
        return total;
    }

    /** The 4 x 4 tile at rows {@code i}, columns {@code j}, summed over every part. */
    private static void tile(float[] a, int[] aBase, int[] aRow, int i, float[] b, int[] bBase, int[] bRow, int j,
                             int parts, int depth, float[] out, int ldo) {
        float[] acc = new float[T * T * L];
        for (int q = 0; q < parts; q++) {
            int ab = aBase[q];
            int bb = bBase[q];
            accumulate(a, ab + aRow[i], ab + aRow[i + 1], ab + aRow[i + 2], ab + aRow[i + 3],
                    b, bb + bRow[j], bb + bRow[j + 1], bb + bRow[j + 2], bb + bRow[j + 3], depth, acc);
        }
        for (int r = 0; r < T; r++) {
            for (int c = 0; c < T; c++) {
                out[(i + r) * ldo + j + c] = sum(acc, (r * T + c) * L);
            }
        }
    }

    /**
     * Adds one part's products to the 16 accumulators kept in {@code acc}: 8 loads per 16
     * multiply-adds. One short method with one loop, like {@link MicroKernel}'s, so that C2 compiles
     * it whole and keeps every accumulator in a register (a bigger method loses the inlining of the
     * loads' bounds checks, and nested loops lose the registers on JDK 17).
     */
    private static void accumulate(float[] a, int a0, int a1, int a2, int a3, float[] b, int b0, int b1, int b2, int b3,
                                   int depth, float[] acc) {
        FloatVector c00 = FloatVector.fromArray(S, acc, 0 * L); FloatVector c01 = FloatVector.fromArray(S, acc, 1 * L); FloatVector c02 = FloatVector.fromArray(S, acc, 2 * L); FloatVector c03 = FloatVector.fromArray(S, acc, 3 * L);
        FloatVector c10 = FloatVector.fromArray(S, acc, 4 * L); FloatVector c11 = FloatVector.fromArray(S, acc, 5 * L); FloatVector c12 = FloatVector.fromArray(S, acc, 6 * L); FloatVector c13 = FloatVector.fromArray(S, acc, 7 * L);
        FloatVector c20 = FloatVector.fromArray(S, acc, 8 * L); FloatVector c21 = FloatVector.fromArray(S, acc, 9 * L); FloatVector c22 = FloatVector.fromArray(S, acc, 10 * L); FloatVector c23 = FloatVector.fromArray(S, acc, 11 * L);
        FloatVector c30 = FloatVector.fromArray(S, acc, 12 * L); FloatVector c31 = FloatVector.fromArray(S, acc, 13 * L); FloatVector c32 = FloatVector.fromArray(S, acc, 14 * L); FloatVector c33 = FloatVector.fromArray(S, acc, 15 * L);
        for (int p = 0; p < depth; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(S, a, a2 + p);
            FloatVector x3 = FloatVector.fromArray(S, a, a3 + p);
            FloatVector y = FloatVector.fromArray(S, b, b0 + p);
            c00 = x0.fma(y, c00);
            c10 = x1.fma(y, c10);
            c20 = x2.fma(y, c20);
            c30 = x3.fma(y, c30);
            y = FloatVector.fromArray(S, b, b1 + p);
            c01 = x0.fma(y, c01);
            c11 = x1.fma(y, c11);
            c21 = x2.fma(y, c21);
            c31 = x3.fma(y, c31);
            y = FloatVector.fromArray(S, b, b2 + p);
            c02 = x0.fma(y, c02);
            c12 = x1.fma(y, c12);
            c22 = x2.fma(y, c22);
            c32 = x3.fma(y, c32);
            y = FloatVector.fromArray(S, b, b3 + p);
            c03 = x0.fma(y, c03);
            c13 = x1.fma(y, c13);
            c23 = x2.fma(y, c23);
            c33 = x3.fma(y, c33);
        }
        c00.intoArray(acc, 0 * L);
        c01.intoArray(acc, 1 * L);
        c02.intoArray(acc, 2 * L);
        c03.intoArray(acc, 3 * L);
        c10.intoArray(acc, 4 * L);
        c11.intoArray(acc, 5 * L);
        c12.intoArray(acc, 6 * L);
        c13.intoArray(acc, 7 * L);
        c20.intoArray(acc, 8 * L);
        c21.intoArray(acc, 9 * L);
        c22.intoArray(acc, 10 * L);
        c23.intoArray(acc, 11 * L);
        c30.intoArray(acc, 12 * L);
        c31.intoArray(acc, 13 * L);
        c32.intoArray(acc, 14 * L);
        c33.intoArray(acc, 15 * L);
    }
}
