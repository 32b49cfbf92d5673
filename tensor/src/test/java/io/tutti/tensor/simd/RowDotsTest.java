package io.tutti.tensor.simd;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.tutti.tensor.simd.TileChecks.randomArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@link RowDots} against dot products summed in double, on every tile shape and edge. */
class RowDotsTest {
    private static final int L = RowDots.L;

    /** Rows x columns: whole tiles, a wide tile with a narrow one beside it, single-dot edges both ways. */
    private static final int[][] SHAPES = {{4, 6}, {8, 12}, {4, 9}, {5, 7}, {3, 2}, {9, 17}, {1, 1}};

    @Test
    void everyDotMatchesTheSumInDouble() {
        Random rnd = new Random(3);
        for (int[] shape : SHAPES) {
            for (int groups : new int[] {1, 3}) {
                check(rnd, shape[0], shape[1], groups, 2 * L);
                check(rnd, shape[0], shape[1], groups, 7 * L);
            }
        }
    }

    /** Overlapping runs at unaligned starts, as a convolution's shifted image rows are. */
    private static void check(Random rnd, int rows, int cols, int groups, int len) {
        int aStep = rows * len + 5;
        int bStep = cols + len + 3;
        float[] a = randomArray(rnd, groups * aStep);
        float[] b = randomArray(rnd, groups * bStep);
        int[] aStart = new int[rows];
        int[] bStart = new int[cols];
        for (int i = 0; i < rows; i++) {
            aStart[i] = 1 + i * len;
        }
        for (int j = 0; j < cols; j++) {
            bStart[j] = j;   // run j overlaps run j + 1 in all but one float
        }
        int ldc = cols + 2;
        int co = 1;
        float[] c = randomArray(rnd, co + rows * ldc);
        float[] before = c.clone();
        RowDots.accumulate(a, aStart, aStep, b, bStart, bStep, groups, len, c, co, ldc, new float[RowDots.LANES]);
        String what = rows + "x" + cols + " groups " + groups + " len " + len;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < ldc; j++) {
                int at = co + i * ldc + j;
                if (j >= cols) {
                    assertThat(c[at]).as("%s: outside C at %d, %d", what, i, j).isEqualTo(before[at]);
                    continue;
                }
                double sum = before[at];
                for (int g = 0; g < groups; g++) {
                    for (int p = 0; p < len; p++) {
                        sum += (double) a[aStart[i] + g * aStep + p] * b[bStart[j] + g * bStep + p];
                    }
                }
                assertThat((double) c[at]).as("%s: C[%d, %d]", what, i, j).isCloseTo(sum, within(1e-4));
            }
        }
        assertThat(c[0]).as("%s: before C", what).isEqualTo(before[0]);
    }

    @Test
    void theSameInputsGiveTheSameBits() {
        Random rnd = new Random(4);
        float[] a = randomArray(rnd, 8 * 16 * L);
        float[] b = randomArray(rnd, 12 * 16 * L + 12);
        int[] aStart = new int[8];
        int[] bStart = new int[12];
        for (int i = 0; i < 8; i++) {
            aStart[i] = i * 16 * L;
        }
        for (int j = 0; j < 12; j++) {
            bStart[j] = j * 16 * L + j;
        }
        float[] first = new float[8 * 12];
        RowDots.accumulate(a, aStart, 0, b, bStart, 0, 1, 16 * L, first, 0, 12, new float[RowDots.LANES]);
        for (int k = 0; k < 50; k++) {
            float[] again = new float[8 * 12];
            RowDots.accumulate(a, aStart, 0, b, bStart, 0, 1, 16 * L, again, 0, 12, new float[RowDots.LANES]);
            assertThat(again).containsExactly(first);
        }
    }

    @Test
    void aRunLengthOutsideWholeVectorsIsRefused() {
        float[] a = new float[4 * L];
        assertThatThrownBy(() -> RowDots.accumulate(a, new int[] {0}, 0, a, new int[] {0}, 0, 1, L + 1, new float[1], 0, 1,
                new float[RowDots.LANES]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("RowDots").hasMessageContaining(String.valueOf(L + 1));
    }
}
