package io.tutti.tensor.simd;


import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

import static io.tutti.tensor.simd.MicroKernel.MR;
import static io.tutti.tensor.simd.MicroKernel.NR;

/**
 * Copies a block of A or B into the order the {@link MicroKernel} streams through, reading the
 * operand through its strides (so a transposed or sliced view costs nothing extra) and padding the
 * last panel with zeros so the kernel never needs an edge case on the inside.
 *
 * <ul>
 *   <li>A block ({@code rows x kc}) becomes panels of {@link MicroKernel#MR} rows; inside a panel,
 *       column k's MR values are adjacent: {@code dst[p*MR*kc + k*MR + i] = A[p*MR + i, k]}.</li>
 *   <li>B block ({@code kc x cols}) becomes panels of {@link MicroKernel#NR} columns; inside a
 *       panel, row k's NR values are adjacent: {@code dst[p*kc*NR + k*NR + j] = B[k, p*NR + j]}.</li>
 * </ul>
 */
final class PackedPanels {
    private static final VectorSpecies<Float> SPECIES = MicroKernel.SPECIES;
    private static final int L = SPECIES.length();
    /** For {@link #transpose16}'s stages at distances 8, 4, 2, 1: lane l takes lane l - s, or l + s. */
    private static final VectorShuffle<Float>[] DOWN = shuffles(-1);
    private static final VectorShuffle<Float>[] UP = shuffles(1);
    /** The lanes with bit s set, and those with it clear. */
    private static final VectorMask<Float>[] HIGH = masks(true);
    private static final VectorMask<Float>[] LOW = masks(false);

    private PackedPanels() {
    }

    /** Floats {@link #packA} writes for a block of {@code rows x kc}. */
    static int packedASize(int rows, int kc) {
        return ceilDiv(rows, MR) * MR * kc;
    }

    /** Floats {@link #packB} writes for a block of {@code kc x cols}. */
    static int packedBSize(int kc, int cols) {
        return ceilDiv(cols, NR) * NR * kc;
    }

    /**
     * Packs {@code A[r, k]} = {@code a[at + r*rs + k*cs]} for {@code r < rows, k < kc} into
     * {@code dst}.
     */
    static void packA(float[] a, int at, int rs, int cs, int rows, int kc, float[] dst) {
        packA(a, at, rs, cs, rows, kc, dst, 0);
    }

    /** {@link #packA(float[], int, int, int, int, int, float[])} writing from {@code dst[to]}. */
    static void packA(float[] a, int at, int rs, int cs, int rows, int kc, float[] dst, int to) {
        for (int r0 = 0, p = to; r0 < rows; r0 += MR, p += MR * kc) {
            int height = Math.min(MR, rows - r0);
            int src = at + r0 * rs;
            if (cs == 1) {
                // Row-major A: read each row contiguously, scatter it into the panel's columns.
                for (int i = 0; i < height; i++) {
                    int s = src + i * rs;
                    for (int k = 0, d = p + i; k < kc; k++, d += MR) {
                        dst[d] = a[s + k];
                    }
                }
            } else if (rs == 1 && height == MR) {
                // Column-major A (a transposed view, as in a weight gradient): each packed column is a copy.
                for (int k = 0, d = p; k < kc; k++, d += MR) {
                    System.arraycopy(a, src + k * cs, dst, d, MR);
                }
            } else {
                for (int k = 0, d = p; k < kc; k++, d += MR) {
                    int s = src + k * cs;
                    for (int i = 0; i < height; i++) {
                        dst[d + i] = a[s + i * rs];
                    }
                }
            }
            if (height < MR) {
                for (int k = 0, d = p; k < kc; k++, d += MR) {
                    Arrays.fill(dst, d + height, d + MR, 0f);
                }
            }
        }
    }

    /**
     * Packs {@code B[k, c]} = {@code b[at + k*rs + c*cs]} for {@code k < kc, c < cols} into
     * {@code dst}.
     */
    static void packB(float[] b, int at, int rs, int cs, int kc, int cols, float[] dst) {
        packB(b, at, rs, cs, kc, cols, dst, 0);
    }

    /** {@link #packB(float[], int, int, int, int, int, float[])} writing from {@code dst[to]}. */
    static void packB(float[] b, int at, int rs, int cs, int kc, int cols, float[] dst, int to) {
        for (int c0 = 0, p = to; c0 < cols; c0 += NR, p += NR * kc) {
            int width = Math.min(NR, cols - c0);
            int src = at + c0 * cs;
            if (cs == 1) {
                // Row-major B: each packed row is a contiguous run of the source row. Array copies, not
                // vector moves: called deep inside lambdas, C2 may run out of inlining budget, and a
                // vector move it cannot inline runs in the Vector API's element-by-element fallback.
                for (int k = 0, d = p; k < kc; k++, d += NR) {
                    System.arraycopy(b, src + k * rs, dst, d, width);
                }
            } else if (width == NR && rs == 1) {
                transposedPanel(b, src, cs, kc, dst, p);
            } else {
                // Transposed B: read each source column contiguously (when rs == 1).
                for (int j = 0; j < width; j++) {
                    int s = src + j * cs;
                    for (int k = 0, d = p + j; k < kc; k++, d += NR) {
                        dst[d] = b[s + k * rs];
                    }
                }
            }
            if (width < NR) {
                for (int k = 0, d = p; k < kc; k++, d += NR) {
                    Arrays.fill(dst, d + width, d + NR, 0f);
                }
            }
        }
    }

    /**
     * One whole panel of a transposed B ({@code B[k, j] = b[src + j * cs + k]}), written front to
     * back in whole vectors: 16 x 16 blocks transposed in registers where vectors have 16 lanes, the
     * rest of the depth (and everything at other widths) one packed row at a time by vector gathers.
     * Writing it one source column at a time instead, at a stride of {@code NR} floats, cycles every
     * line of a 64 KiB panel through L1 once per column: 0.55-0.67 ns per float, against 0.42-0.47
     * gathered and 0.29-0.36 transposed in registers (0.21 on JDK 25).
     */
    private static void transposedPanel(float[] b, int src, int cs, int kc, float[] dst, int p) {
        int k = 0;
        if (L == 16) {
            for (; k + 16 <= kc; k += 16) {
                for (int j = 0; j < NR; j += 16) {
                    transpose16(b, src + j * cs + k, cs, dst, p + k * NR + j);
                }
            }
        }
        int[] columns = new int[NR];
        for (int j = 0; j < NR; j++) {
            columns[j] = j * cs;
        }
        for (int d = p + k * NR; k < kc; k++, d += NR) {
            for (int j = 0; j < NR; j += L) {
                FloatVector.fromArray(SPECIES, b, src + k, columns, j).intoArray(dst, d + j);
            }
        }
    }

    /**
     * Transposes the 16 x 16 block {@code b[src + j * cs + k]} ({@code j} the block's row, {@code k}
     * its column) into rows {@code dst[d + k * NR ..+16]}: sixteen row loads, four stages of lane
     * swaps at distances 8, 4, 2 and 1 (each a pair of permutes and blends: row {@code i}'s lanes
     * with bit {@code s} set trade places with row {@code i + s}'s lanes without it), sixteen stores.
     * Written out in full because an array of vectors would be boxed.
     */
    private static void transpose16(float[] b, int src, int cs, float[] dst, int d) {
        FloatVector v0 = FloatVector.fromArray(SPECIES, b, src);
        FloatVector v1 = FloatVector.fromArray(SPECIES, b, src + 1 * cs);
        FloatVector v2 = FloatVector.fromArray(SPECIES, b, src + 2 * cs);
        FloatVector v3 = FloatVector.fromArray(SPECIES, b, src + 3 * cs);
        FloatVector v4 = FloatVector.fromArray(SPECIES, b, src + 4 * cs);
        FloatVector v5 = FloatVector.fromArray(SPECIES, b, src + 5 * cs);
        FloatVector v6 = FloatVector.fromArray(SPECIES, b, src + 6 * cs);
        FloatVector v7 = FloatVector.fromArray(SPECIES, b, src + 7 * cs);
        FloatVector v8 = FloatVector.fromArray(SPECIES, b, src + 8 * cs);
        FloatVector v9 = FloatVector.fromArray(SPECIES, b, src + 9 * cs);
        FloatVector v10 = FloatVector.fromArray(SPECIES, b, src + 10 * cs);
        FloatVector v11 = FloatVector.fromArray(SPECIES, b, src + 11 * cs);
        FloatVector v12 = FloatVector.fromArray(SPECIES, b, src + 12 * cs);
        FloatVector v13 = FloatVector.fromArray(SPECIES, b, src + 13 * cs);
        FloatVector v14 = FloatVector.fromArray(SPECIES, b, src + 14 * cs);
        FloatVector v15 = FloatVector.fromArray(SPECIES, b, src + 15 * cs);
        FloatVector t;
        t = v0.blend(v8.rearrange(DOWN[0]), HIGH[0]);
        v8 = v8.blend(v0.rearrange(UP[0]), LOW[0]);
        v0 = t;
        t = v1.blend(v9.rearrange(DOWN[0]), HIGH[0]);
        v9 = v9.blend(v1.rearrange(UP[0]), LOW[0]);
        v1 = t;
        t = v2.blend(v10.rearrange(DOWN[0]), HIGH[0]);
        v10 = v10.blend(v2.rearrange(UP[0]), LOW[0]);
        v2 = t;
        t = v3.blend(v11.rearrange(DOWN[0]), HIGH[0]);
        v11 = v11.blend(v3.rearrange(UP[0]), LOW[0]);
        v3 = t;
        t = v4.blend(v12.rearrange(DOWN[0]), HIGH[0]);
        v12 = v12.blend(v4.rearrange(UP[0]), LOW[0]);
        v4 = t;
        t = v5.blend(v13.rearrange(DOWN[0]), HIGH[0]);
        v13 = v13.blend(v5.rearrange(UP[0]), LOW[0]);
        v5 = t;
        t = v6.blend(v14.rearrange(DOWN[0]), HIGH[0]);
        v14 = v14.blend(v6.rearrange(UP[0]), LOW[0]);
        v6 = t;
        t = v7.blend(v15.rearrange(DOWN[0]), HIGH[0]);
        v15 = v15.blend(v7.rearrange(UP[0]), LOW[0]);
        v7 = t;
        t = v0.blend(v4.rearrange(DOWN[1]), HIGH[1]);
        v4 = v4.blend(v0.rearrange(UP[1]), LOW[1]);
        v0 = t;
        t = v1.blend(v5.rearrange(DOWN[1]), HIGH[1]);
        v5 = v5.blend(v1.rearrange(UP[1]), LOW[1]);
        v1 = t;
        t = v2.blend(v6.rearrange(DOWN[1]), HIGH[1]);
        v6 = v6.blend(v2.rearrange(UP[1]), LOW[1]);
        v2 = t;
        t = v3.blend(v7.rearrange(DOWN[1]), HIGH[1]);
        v7 = v7.blend(v3.rearrange(UP[1]), LOW[1]);
        v3 = t;
        t = v8.blend(v12.rearrange(DOWN[1]), HIGH[1]);
        v12 = v12.blend(v8.rearrange(UP[1]), LOW[1]);
        v8 = t;
        t = v9.blend(v13.rearrange(DOWN[1]), HIGH[1]);
        v13 = v13.blend(v9.rearrange(UP[1]), LOW[1]);
        v9 = t;
        t = v10.blend(v14.rearrange(DOWN[1]), HIGH[1]);
        v14 = v14.blend(v10.rearrange(UP[1]), LOW[1]);
        v10 = t;
        t = v11.blend(v15.rearrange(DOWN[1]), HIGH[1]);
        v15 = v15.blend(v11.rearrange(UP[1]), LOW[1]);
        v11 = t;
        t = v0.blend(v2.rearrange(DOWN[2]), HIGH[2]);
        v2 = v2.blend(v0.rearrange(UP[2]), LOW[2]);
        v0 = t;
        t = v1.blend(v3.rearrange(DOWN[2]), HIGH[2]);
        v3 = v3.blend(v1.rearrange(UP[2]), LOW[2]);
        v1 = t;
        t = v4.blend(v6.rearrange(DOWN[2]), HIGH[2]);
        v6 = v6.blend(v4.rearrange(UP[2]), LOW[2]);
        v4 = t;
        t = v5.blend(v7.rearrange(DOWN[2]), HIGH[2]);
        v7 = v7.blend(v5.rearrange(UP[2]), LOW[2]);
        v5 = t;
        t = v8.blend(v10.rearrange(DOWN[2]), HIGH[2]);
        v10 = v10.blend(v8.rearrange(UP[2]), LOW[2]);
        v8 = t;
        t = v9.blend(v11.rearrange(DOWN[2]), HIGH[2]);
        v11 = v11.blend(v9.rearrange(UP[2]), LOW[2]);
        v9 = t;
        t = v12.blend(v14.rearrange(DOWN[2]), HIGH[2]);
        v14 = v14.blend(v12.rearrange(UP[2]), LOW[2]);
        v12 = t;
        t = v13.blend(v15.rearrange(DOWN[2]), HIGH[2]);
        v15 = v15.blend(v13.rearrange(UP[2]), LOW[2]);
        v13 = t;
        t = v0.blend(v1.rearrange(DOWN[3]), HIGH[3]);
        v1 = v1.blend(v0.rearrange(UP[3]), LOW[3]);
        v0 = t;
        t = v2.blend(v3.rearrange(DOWN[3]), HIGH[3]);
        v3 = v3.blend(v2.rearrange(UP[3]), LOW[3]);
        v2 = t;
        t = v4.blend(v5.rearrange(DOWN[3]), HIGH[3]);
        v5 = v5.blend(v4.rearrange(UP[3]), LOW[3]);
        v4 = t;
        t = v6.blend(v7.rearrange(DOWN[3]), HIGH[3]);
        v7 = v7.blend(v6.rearrange(UP[3]), LOW[3]);
        v6 = t;
        t = v8.blend(v9.rearrange(DOWN[3]), HIGH[3]);
        v9 = v9.blend(v8.rearrange(UP[3]), LOW[3]);
        v8 = t;
        t = v10.blend(v11.rearrange(DOWN[3]), HIGH[3]);
        v11 = v11.blend(v10.rearrange(UP[3]), LOW[3]);
        v10 = t;
        t = v12.blend(v13.rearrange(DOWN[3]), HIGH[3]);
        v13 = v13.blend(v12.rearrange(UP[3]), LOW[3]);
        v12 = t;
        t = v14.blend(v15.rearrange(DOWN[3]), HIGH[3]);
        v15 = v15.blend(v14.rearrange(UP[3]), LOW[3]);
        v14 = t;
        v0.intoArray(dst, d);
        v1.intoArray(dst, d + 1 * NR);
        v2.intoArray(dst, d + 2 * NR);
        v3.intoArray(dst, d + 3 * NR);
        v4.intoArray(dst, d + 4 * NR);
        v5.intoArray(dst, d + 5 * NR);
        v6.intoArray(dst, d + 6 * NR);
        v7.intoArray(dst, d + 7 * NR);
        v8.intoArray(dst, d + 8 * NR);
        v9.intoArray(dst, d + 9 * NR);
        v10.intoArray(dst, d + 10 * NR);
        v11.intoArray(dst, d + 11 * NR);
        v12.intoArray(dst, d + 12 * NR);
        v13.intoArray(dst, d + 13 * NR);
        v14.intoArray(dst, d + 14 * NR);
        v15.intoArray(dst, d + 15 * NR);
    }

    /**
     * Packs {@code B[k, c]} = {@code b[rowStart[k0 + k] + c0 + c]} for {@code k < kc, c < cols}: a
     * matrix whose rows are unit-stride runs starting anywhere, such as the shifted windows of an
     * image that make a convolution a product without im2col.
     */
    static void packBRows(float[] b, int[] rowStart, int k0, int kc, int c0, int cols, float[] dst) {
        // Array copies, not vector moves: this runs deep inside the convolution's lambdas, where C2
        // may run out of inlining budget and then box every vector it cannot inline.
        for (int j0 = 0, p = 0; j0 < cols; j0 += NR, p += NR * kc) {
            int width = Math.min(NR, cols - j0);
            for (int k = 0, d = p; k < kc; k++, d += NR) {
                System.arraycopy(b, rowStart[k0 + k] + c0 + j0, dst, d, width);
                if (width < NR) {
                    Arrays.fill(dst, d + width, d + NR, 0f);
                }
            }
        }
    }

    /**
     * Packs {@code B[k, c]} = {@code b[rowStart[k0 + k] + position[c0 + c]]} for {@code k < kc, c < cols}:
     * every element picked through two offset tables, for a B too thin to be worth building.
     */
    static void packBPicked(float[] b, int[] rowStart, int[] position, int k0, int kc, int c0, int cols, float[] dst) {
        for (int j0 = 0, p = 0; j0 < cols; j0 += NR, p += NR * kc) {
            int width = Math.min(NR, cols - j0);
            for (int k = 0, d = p; k < kc; k++, d += NR) {
                int s = rowStart[k0 + k];
                for (int j = 0; j < width; j++) {
                    dst[d + j] = b[s + position[c0 + j0 + j]];
                }
                Arrays.fill(dst, d + width, d + NR, 0f);
            }
        }
    }

    /**
     * Packs {@code B[k, c]} = {@code b[colStart[c0 + c] + k0 + k]} for {@code k < kc, c < cols}: a
     * matrix whose columns are unit-stride runs starting anywhere (the transpose of
     * {@link #packBRows}'s kind), such as the input windows of a convolution's weight gradient.
     */
    static void packBColumns(float[] b, int[] colStart, int k0, int kc, int c0, int cols, float[] dst) {
        for (int j0 = 0, p = 0; j0 < cols; j0 += NR, p += NR * kc) {
            int width = Math.min(NR, cols - j0);
            for (int j = 0; j < width; j++) {
                int s = colStart[c0 + j0 + j] + k0;
                for (int k = 0, d = p + j; k < kc; k++, d += NR) {
                    dst[d] = b[s + k];
                }
            }
            if (width < NR) {
                for (int k = 0, d = p; k < kc; k++, d += NR) {
                    Arrays.fill(dst, d + width, d + NR, 0f);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] shuffles(int sign) {
        VectorShuffle<Float>[] out = new VectorShuffle[4];
        for (int stage = 0; stage < 4; stage++) {
            int s = 8 >> stage;
            out[stage] = VectorShuffle.fromOp(SPECIES, l -> Math.floorMod(l + sign * s, L));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static VectorMask<Float>[] masks(boolean set) {
        VectorMask<Float>[] out = new VectorMask[4];
        for (int stage = 0; stage < 4; stage++) {
            int s = 8 >> stage;
            boolean[] bits = new boolean[L];
            for (int l = 0; l < L; l++) {
                bits[l] = ((l & s) != 0) == set;
            }
            out[stage] = VectorMask.fromArray(SPECIES, bits, 0);
        }
        return out;
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
