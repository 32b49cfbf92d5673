package io.tutti.tensor.simd;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.tutti.tensor.simd.MicroKernel.MR;
import static io.tutti.tensor.simd.MicroKernel.NR;
import static io.tutti.tensor.simd.TileChecks.randomArray;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link PackedPanels}' layouts against their definitions, for every way an operand can be laid out. */
class PackedPanelsTest {
    /** Depths below, at and past the 16-deep transposed blocks; widths of whole and partial panels. */
    private static final int[] DEPTHS = {1, 15, 16, 17, 40, 128};
    private static final int[] WIDTHS = {1, NR - 1, NR, NR + 5, 3 * NR};

    @Test
    void packBMatchesItsDefinitionRowMajorAndTransposed() {
        Random rnd = new Random(21);
        for (int kc : DEPTHS) {
            for (int cols : WIDTHS) {
                int at = 3;
                // Row-major (rs = cols + 2, cs = 1), transposed (rs = 1, cs = kc + 1), and general strides.
                int[][] strides = {{cols + 2, 1}, {1, kc + 1}, {2, 2 * kc + 3}};
                for (int[] st : strides) {
                    int rs = st[0];
                    int cs = st[1];
                    float[] b = randomArray(rnd, at + (kc - 1) * rs + (cols - 1) * cs + 1);
                    float[] dst = randomArray(rnd, PackedPanels.packedBSize(kc, cols));
                    PackedPanels.packB(b, at, rs, cs, kc, cols, dst);
                    for (int p = 0; p * NR < cols; p++) {
                        for (int k = 0; k < kc; k++) {
                            for (int j = 0; j < NR; j++) {
                                int c = p * NR + j;
                                float expected = c < cols ? b[at + k * rs + c * cs] : 0f;
                                assertThat(dst[p * kc * NR + k * NR + j])
                                        .as("kc %d cols %d strides %d,%d: panel %d row %d lane %d", kc, cols, rs, cs, p, k, j)
                                        .isEqualTo(expected);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void packAMatchesItsDefinition() {
        Random rnd = new Random(22);
        for (int kc : DEPTHS) {
            for (int rows : new int[] {1, MR - 1, MR, 3 * MR + 2}) {
                int[][] strides = {{kc + 2, 1}, {1, rows + 1}, {2, 2 * rows + 3}};
                for (int[] st : strides) {
                    int rs = st[0];
                    int cs = st[1];
                    float[] a = randomArray(rnd, 1 + (rows - 1) * rs + (kc - 1) * cs + 1);
                    float[] dst = randomArray(rnd, PackedPanels.packedASize(rows, kc));
                    PackedPanels.packA(a, 1, rs, cs, rows, kc, dst);
                    for (int p = 0; p * MR < rows; p++) {
                        for (int k = 0; k < kc; k++) {
                            for (int i = 0; i < MR; i++) {
                                int r = p * MR + i;
                                float expected = r < rows ? a[1 + r * rs + k * cs] : 0f;
                                assertThat(dst[p * MR * kc + k * MR + i])
                                        .as("kc %d rows %d strides %d,%d: panel %d column %d lane %d", kc, rows, rs, cs, p, k, i)
                                        .isEqualTo(expected);
                            }
                        }
                    }
                }
            }
        }
    }
}
