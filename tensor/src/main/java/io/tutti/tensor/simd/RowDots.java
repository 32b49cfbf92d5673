package io.tutti.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Every dot product of one set of contiguous runs with another, {@code C[i, j] += a_i · b_j}: the
 * product {@code A · Bᵀ} when both operands are stored along the summed axis, with nothing packed.
 *
 * <p>It serves the weight gradient of a convolution with few input channels, {@code dW[o, (c, tap)]
 * = sum_p gOut[o, p] · image[c, p + shift(tap)]}: both factors are unit-stride runs of length
 * {@code len} (output rows and shifted image rows), so the packed GEMM would first have to transpose
 * one of them into its panel layout, and with a one-channel input ({@code 9} columns) most of a
 * packed panel would be padding. With many columns the packed GEMM is faster: these tiles load both
 * operands at unaligned addresses and end in lane sums, which at 288 columns cost what the packing
 * saves.
 *
 * <p>A tile of {@link #ROWS} x {@link #COLS} runs is summed in vector accumulators across a whole
 * set of images (run {@code i} of image {@code g} starts {@code g * aStep} after image 0's), and
 * only then reduced lane by lane in a fixed order, so the rounding depends on the group, never on
 * the thread or the compiler.
 */
final class RowDots {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector: run lengths must be a whole number of these. */
    static final int L = SPECIES.length();
    /** Rows of A per tile. */
    static final int ROWS = 4;
    /**
     * Columns per tile: 6 where there are 32 vector registers (AVX-512, whose preferred float vector
     * is the only one with 16 lanes), else 3: 12 accumulators and 4 row vectors fill AVX2's 16 (each
     * column vector feeds its FMAs straight from memory).
     */
    static final int COLS = L >= 16 ? 6 : 3;
    /** Floats of the {@code lanes} scratch {@link #accumulate} needs. */
    static final int LANES = ROWS * 6 * L;

    private RowDots() {
    }

    /**
     * {@code c[co + i * ldc + j] += sum_{g < groups} sum_{p < len} a[aStart[i] + g * aStep + p] *
     * b[bStart[j] + g * bStep + p]} for {@code i < aStart.length, j < bStart.length}; {@code len}
     * must be a multiple of {@link #L}. {@code lanes} is scratch of at least {@link #LANES} floats.
     */
    static void accumulate(float[] a, int[] aStart, int aStep, float[] b, int[] bStart, int bStep, int groups, int len,
                           float[] c, int co, int ldc, float[] lanes) {
        if (len % L != 0) {
            throw new IllegalArgumentException("RowDots: run length " + len + " is not a multiple of " + L);
        }
        int rows = aStart.length;
        int cols = bStart.length;
        int fullRows = rows - rows % ROWS;
        for (int i = 0; i < fullRows; i += ROWS) {
            int j = 0;
            for (; COLS == 6 && j + 6 <= cols; j += 6) {
                Arrays.fill(lanes, 0, ROWS * 6 * L, 0f);
                for (int g = 0; g < groups; g++) {
                    int ga = g * aStep;
                    int gb = g * bStep;
                    wideTile(a, aStart[i] + ga, aStart[i + 1] + ga, aStart[i + 2] + ga, aStart[i + 3] + ga,
                            b, bStart[j] + gb, bStart[j + 1] + gb, bStart[j + 2] + gb, bStart[j + 3] + gb,
                            bStart[j + 4] + gb, bStart[j + 5] + gb, len, lanes);
                }
                addSums(lanes, 6, c, co + i * ldc + j, ldc);
            }
            for (; j + 3 <= cols; j += 3) {
                Arrays.fill(lanes, 0, ROWS * 3 * L, 0f);
                for (int g = 0; g < groups; g++) {
                    int ga = g * aStep;
                    int gb = g * bStep;
                    tile(a, aStart[i] + ga, aStart[i + 1] + ga, aStart[i + 2] + ga, aStart[i + 3] + ga,
                            b, bStart[j] + gb, bStart[j + 1] + gb, bStart[j + 2] + gb, len, lanes);
                }
                addSums(lanes, 3, c, co + i * ldc + j, ldc);
            }
            for (; j < cols; j++) {
                for (int r = 0; r < ROWS; r++) {
                    c[co + (i + r) * ldc + j] += dot(a, aStart[i + r], aStep, b, bStart[j], bStep, groups, len, lanes);
                }
            }
        }
        for (int i = fullRows; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                c[co + i * ldc + j] += dot(a, aStart[i], aStep, b, bStart[j], bStep, groups, len, lanes);
            }
        }
    }

    /** Adds a {@code 4 x width} tile's lane sums to C at {@code ci}. */
    private static void addSums(float[] lanes, int width, float[] c, int ci, int ldc) {
        for (int r = 0; r < ROWS; r++) {
            for (int s = 0; s < width; s++) {
                c[ci + r * ldc + s] += sumLanes(lanes, (r * width + s) * L);
            }
        }
    }

    /** One dot product summed over every group. */
    private static float dot(float[] a, int ai, int aStep, float[] b, int bi, int bStep, int groups, int len,
                             float[] lanes) {
        Arrays.fill(lanes, 0, L, 0f);
        for (int g = 0; g < groups; g++) {
            dot(a, ai + g * aStep, b, bi + g * bStep, len, lanes);
        }
        return sumLanes(lanes, 0);
    }

    /** Lanes {@code at .. at + L} summed first to last. */
    private static float sumLanes(float[] lanes, int at) {
        float total = 0f;
        for (int l = 0; l < L; l++) {
            total += lanes[at + l];
        }
        return total;
    }

    /**
     * The 4 x 3 tile over one group: adds accumulator {@code (r, s)}'s lanes into
     * {@code lanes[(r * 3 + s) * L ..]}. A method of its own, small enough for C2 to keep every
     * accumulator in a register. The groups are looped outside it: with the group loop inside (the
     * accumulators carried through two nested loops) JDK 17 ran it 15-20x slower, its vectors boxed.
     */
    static void tile(float[] a, int a0, int a1, int a2, int a3, float[] b, int b0, int b1, int b2, int len,
                     float[] lanes) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, lanes, 0);
        FloatVector c01 = FloatVector.fromArray(SPECIES, lanes, L);
        FloatVector c02 = FloatVector.fromArray(SPECIES, lanes, 2 * L);
        FloatVector c10 = FloatVector.fromArray(SPECIES, lanes, 3 * L);
        FloatVector c11 = FloatVector.fromArray(SPECIES, lanes, 4 * L);
        FloatVector c12 = FloatVector.fromArray(SPECIES, lanes, 5 * L);
        FloatVector c20 = FloatVector.fromArray(SPECIES, lanes, 6 * L);
        FloatVector c21 = FloatVector.fromArray(SPECIES, lanes, 7 * L);
        FloatVector c22 = FloatVector.fromArray(SPECIES, lanes, 8 * L);
        FloatVector c30 = FloatVector.fromArray(SPECIES, lanes, 9 * L);
        FloatVector c31 = FloatVector.fromArray(SPECIES, lanes, 10 * L);
        FloatVector c32 = FloatVector.fromArray(SPECIES, lanes, 11 * L);
        for (int p = 0; p < len; p += L) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(SPECIES, a, a2 + p);
            FloatVector x3 = FloatVector.fromArray(SPECIES, a, a3 + p);
            FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + p);
            c00 = x0.fma(y, c00);
            c10 = x1.fma(y, c10);
            c20 = x2.fma(y, c20);
            c30 = x3.fma(y, c30);
            y = FloatVector.fromArray(SPECIES, b, b1 + p);
            c01 = x0.fma(y, c01);
            c11 = x1.fma(y, c11);
            c21 = x2.fma(y, c21);
            c31 = x3.fma(y, c31);
            y = FloatVector.fromArray(SPECIES, b, b2 + p);
            c02 = x0.fma(y, c02);
            c12 = x1.fma(y, c12);
            c22 = x2.fma(y, c22);
            c32 = x3.fma(y, c32);
        }
        // Stores written out here, not in a helper: a vector passed to a call C2 does not inline is boxed.
        c00.intoArray(lanes, 0);
        c01.intoArray(lanes, L);
        c02.intoArray(lanes, 2 * L);
        c10.intoArray(lanes, 3 * L);
        c11.intoArray(lanes, 4 * L);
        c12.intoArray(lanes, 5 * L);
        c20.intoArray(lanes, 6 * L);
        c21.intoArray(lanes, 7 * L);
        c22.intoArray(lanes, 8 * L);
        c30.intoArray(lanes, 9 * L);
        c31.intoArray(lanes, 10 * L);
        c32.intoArray(lanes, 11 * L);
    }

    /**
     * The 4 x 6 tile over one group, for CPUs with 32 vector registers (AVX-512): 24 accumulators,
     * 4 row vectors and a column vector; 10 loads per 24 FMAs, where the 4 x 3 tile's 7 per 12 left
     * this machine waiting on loads (its unaligned runs cross a cache line at every load). Lanes as in
     * {@link #tile}, {@code (r, s)} at {@code lanes[(r * 6 + s) * L]}.
     */
    static void wideTile(float[] a, int a0, int a1, int a2, int a3, float[] b, int b0, int b1, int b2, int b3, int b4,
                         int b5, int len, float[] lanes) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, lanes, 0);
        FloatVector c01 = FloatVector.fromArray(SPECIES, lanes, 1 * L);
        FloatVector c02 = FloatVector.fromArray(SPECIES, lanes, 2 * L);
        FloatVector c03 = FloatVector.fromArray(SPECIES, lanes, 3 * L);
        FloatVector c04 = FloatVector.fromArray(SPECIES, lanes, 4 * L);
        FloatVector c05 = FloatVector.fromArray(SPECIES, lanes, 5 * L);
        FloatVector c10 = FloatVector.fromArray(SPECIES, lanes, 6 * L);
        FloatVector c11 = FloatVector.fromArray(SPECIES, lanes, 7 * L);
        FloatVector c12 = FloatVector.fromArray(SPECIES, lanes, 8 * L);
        FloatVector c13 = FloatVector.fromArray(SPECIES, lanes, 9 * L);
        FloatVector c14 = FloatVector.fromArray(SPECIES, lanes, 10 * L);
        FloatVector c15 = FloatVector.fromArray(SPECIES, lanes, 11 * L);
        FloatVector c20 = FloatVector.fromArray(SPECIES, lanes, 12 * L);
        FloatVector c21 = FloatVector.fromArray(SPECIES, lanes, 13 * L);
        FloatVector c22 = FloatVector.fromArray(SPECIES, lanes, 14 * L);
        FloatVector c23 = FloatVector.fromArray(SPECIES, lanes, 15 * L);
        FloatVector c24 = FloatVector.fromArray(SPECIES, lanes, 16 * L);
        FloatVector c25 = FloatVector.fromArray(SPECIES, lanes, 17 * L);
        FloatVector c30 = FloatVector.fromArray(SPECIES, lanes, 18 * L);
        FloatVector c31 = FloatVector.fromArray(SPECIES, lanes, 19 * L);
        FloatVector c32 = FloatVector.fromArray(SPECIES, lanes, 20 * L);
        FloatVector c33 = FloatVector.fromArray(SPECIES, lanes, 21 * L);
        FloatVector c34 = FloatVector.fromArray(SPECIES, lanes, 22 * L);
        FloatVector c35 = FloatVector.fromArray(SPECIES, lanes, 23 * L);
        for (int p = 0; p < len; p += L) {
            FloatVector x0 = FloatVector.fromArray(SPECIES, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p);
            FloatVector x2 = FloatVector.fromArray(SPECIES, a, a2 + p);
            FloatVector x3 = FloatVector.fromArray(SPECIES, a, a3 + p);
            FloatVector y = FloatVector.fromArray(SPECIES, b, b0 + p);
            c00 = x0.fma(y, c00);
            c10 = x1.fma(y, c10);
            c20 = x2.fma(y, c20);
            c30 = x3.fma(y, c30);
            y = FloatVector.fromArray(SPECIES, b, b1 + p);
            c01 = x0.fma(y, c01);
            c11 = x1.fma(y, c11);
            c21 = x2.fma(y, c21);
            c31 = x3.fma(y, c31);
            y = FloatVector.fromArray(SPECIES, b, b2 + p);
            c02 = x0.fma(y, c02);
            c12 = x1.fma(y, c12);
            c22 = x2.fma(y, c22);
            c32 = x3.fma(y, c32);
            y = FloatVector.fromArray(SPECIES, b, b3 + p);
            c03 = x0.fma(y, c03);
            c13 = x1.fma(y, c13);
            c23 = x2.fma(y, c23);
            c33 = x3.fma(y, c33);
            y = FloatVector.fromArray(SPECIES, b, b4 + p);
            c04 = x0.fma(y, c04);
            c14 = x1.fma(y, c14);
            c24 = x2.fma(y, c24);
            c34 = x3.fma(y, c34);
            y = FloatVector.fromArray(SPECIES, b, b5 + p);
            c05 = x0.fma(y, c05);
            c15 = x1.fma(y, c15);
            c25 = x2.fma(y, c25);
            c35 = x3.fma(y, c35);
        }
        c00.intoArray(lanes, 0);
        c01.intoArray(lanes, 1 * L);
        c02.intoArray(lanes, 2 * L);
        c03.intoArray(lanes, 3 * L);
        c04.intoArray(lanes, 4 * L);
        c05.intoArray(lanes, 5 * L);
        c10.intoArray(lanes, 6 * L);
        c11.intoArray(lanes, 7 * L);
        c12.intoArray(lanes, 8 * L);
        c13.intoArray(lanes, 9 * L);
        c14.intoArray(lanes, 10 * L);
        c15.intoArray(lanes, 11 * L);
        c20.intoArray(lanes, 12 * L);
        c21.intoArray(lanes, 13 * L);
        c22.intoArray(lanes, 14 * L);
        c23.intoArray(lanes, 15 * L);
        c24.intoArray(lanes, 16 * L);
        c25.intoArray(lanes, 17 * L);
        c30.intoArray(lanes, 18 * L);
        c31.intoArray(lanes, 19 * L);
        c32.intoArray(lanes, 20 * L);
        c33.intoArray(lanes, 21 * L);
        c34.intoArray(lanes, 22 * L);
        c35.intoArray(lanes, 23 * L);
    }

    /** One dot product over one group, its lanes added into {@code lanes[0 .. L]}. */
    static void dot(float[] a, int ai, float[] b, int bi, int len, float[] lanes) {
        FloatVector acc = FloatVector.fromArray(SPECIES, lanes, 0);
        for (int p = 0; p < len; p += L) {
            acc = FloatVector.fromArray(SPECIES, a, ai + p).fma(FloatVector.fromArray(SPECIES, b, bi + p), acc);
        }
        acc.intoArray(lanes, 0);
    }
}
