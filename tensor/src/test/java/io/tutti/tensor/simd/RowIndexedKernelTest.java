package io.tutti.tensor.simd;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The in-place tiles on hand-made rows of B (both tiles, as only one serves a given CPU), and
 * {@link PanelProduct#multiplyRows} against a plain loop on both of its paths and at its edges.
 */
class RowIndexedKernelTest {
    @ParameterizedTest(name = "rows={0}")
    @ValueSource(ints = {8, 6})
    void tileMatchesAPlainLoop(int rows) {
        int nr = MicroKernel.NR;
        int k = 29;
        int ai = 3;
        int column = 4;
        int ldc = nr + 11;
        int ci = 7;
        Random rnd = new Random(rows);
        float[] a = TileChecks.randomArray(rnd, ai + rows * k);
        float[] b = TileChecks.randomArray(rnd, 40 * nr);
        // Rows anywhere in b, overlapping and out of order, as a convolution's shifted runs are.
        int[] rowStart = new int[k];
        for (int p = 0; p < k; p++) {
            rowStart[p] = rnd.nextInt(b.length - column - nr + 1);
        }
        float[] c = TileChecks.randomArray(rnd, ci + rows * ldc);
        float[] before = c.clone();
        if (rows == 8) {
            RowIndexedKernel.tile8(k, a, ai, b, rowStart, column, c, ci, ldc);
        } else {
            RowIndexedKernel.tile6(k, a, ai, b, rowStart, column, c, ci, ldc);
        }
        TileChecks.assertTile(rows, c, before, ci, ldc, false, (i, j) -> {
            double sum = 0;
            for (int p = 0; p < k; p++) {
                sum += (double) a[ai + p * rows + i] * b[rowStart[p] + column + j];
            }
            return sum;
        });
    }

    /**
     * Row counts on both sides of {@link PanelProduct#IN_PLACE_MAX_ROWS} and not multiples of the
     * tile; column counts with and without a narrow last panel; and b ending just after the rows'
     * last element, so that a full-width last panel would read past it and must be packed instead.
     */
    @ParameterizedTest(name = "m={0} k={1} n={2} tight={3}")
    @CsvSource({"8, 9, 64, false", "5, 9, 40, false", "37, 30, 100, false", "64, 288, 70, true", "37, 18, 96, true",
            "70, 20, 45, false", "130, 600, 33, true"})
    void multiplyRowsMatchesAPlainLoop(int m, int k, int n, boolean tight) {
        Random rnd = new Random(m * 1000 + k);
        int bo = 3;
        int span = n + 5 * k;
        int[] rowStart = new int[k];
        for (int p = 0; p < k; p++) {
            rowStart[p] = rnd.nextInt(span - n + 1);
        }
        int furthest = 0;
        for (int s : rowStart) {
            furthest = Math.max(furthest, s);
        }
        float[] b = TileChecks.randomArray(rnd, bo + (tight ? furthest + n : span + MicroKernel.NR));
        float[] a = TileChecks.randomArray(rnd, m * k);
        float[] packedA = new float[PackedPanels.packedASize(m, k)];
        PackedPanels.packA(a, 0, k, 1, m, k, packedA);
        int ldc = n + 2;
        int co = 1;
        float[] c = TileChecks.randomArray(rnd, co + m * ldc);
        float[] before = c.clone();
        PanelProduct.multiplyRows(packedA, m, k, b, bo, rowStart, n, c, co, ldc, new PanelProduct.Scratch());
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < ldc; j++) {
                int at = co + i * ldc + j;
                if (j >= n) {
                    assertThat(c[at]).as("beyond the columns at row %d column %d", i, j).isEqualTo(before[at]);
                    continue;
                }
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a[i * k + p] * b[bo + rowStart[p] + j];
                }
                assertThat((double) c[at]).as("row %d column %d", i, j).isCloseTo(sum, within(1e-4 * Math.sqrt(k)));
            }
        }
        assertThat(c[0]).isEqualTo(before[0]);
    }
}
