package io.tutti.tensor.simd;


import jdk.incubator.vector.FloatVector;
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
                // Row-major A: 16 columns at a time transposed in registers where a panel is 8 rows
                // of 16-lane vectors, the rest read row by row and scattered into the panel's columns.
                int k0 = 0;
                if (MR == 8 && L == RegisterTranspose.LANES && height == MR) {
                    for (; k0 + 16 <= kc; k0 += 16) {
                        RegisterTranspose.rows8(a, src + k0, rs, dst, p + k0 * MR);
                    }
                }
                for (int i = 0; i < height; i++) {
                    int s = src + i * rs;
                    for (int k = k0, d = p + k0 * MR + i; k < kc; k++, d += MR) {
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
        if (L == RegisterTranspose.LANES) {
            for (; k + 16 <= kc; k += 16) {
                for (int j = 0; j < NR; j += 16) {
                    RegisterTranspose.transpose16(b, src + j * cs + k, cs, dst, p + k * NR + j, NR);
                }
            }
        }
        if (k == kc) {
            return;
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

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }
}
