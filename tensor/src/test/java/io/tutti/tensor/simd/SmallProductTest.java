package io.tutti.tensor.simd;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Both strided register tiles of {@link SmallProduct}, called directly: only one of them serves
 * {@link Gemm} on a given CPU, so each is checked here on its own, with A read through both of its
 * strides and B's rows at a stride wider than the tile.
 */
class SmallProductTest {
    @ParameterizedTest(name = "rows={0} columnMajorA={1}")
    @CsvSource({"8, false", "8, true", "6, false", "6, true"})
    void tileMatchesAPlainLoop(int rows, boolean columnMajorA) {
        int nr = MicroKernel.NR;
        int kc = 19;
        int ars = columnMajorA ? 1 : kc + 3;
        int acs = columnMajorA ? rows + 5 : 1;
        int ai = 2;
        int brs = nr + 7;
        int bi = 4;
        int ldc = nr + 11;
        int ci = 6;
        Random rnd = new Random(rows * 2 + (columnMajorA ? 1 : 0));
        float[] a = randomArray(rnd, ai + (rows - 1) * ars + (kc - 1) * acs + 1);
        float[] b = randomArray(rnd, bi + kc * brs);
        float[] c = randomArray(rnd, ci + rows * ldc);
        float[] before = c.clone();
        if (rows == 8) {
            SmallProduct.tile8(kc, a, ai, ars, acs, b, bi, brs, c, ci, ldc);
        } else {
            SmallProduct.tile6(kc, a, ai, ars, acs, b, bi, brs, c, ci, ldc);
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < ldc; j++) {
                int at = ci + i * ldc + j;
                if (j >= nr) {
                    assertThat(c[at]).as("outside the tile at row %d column %d", i, j).isEqualTo(before[at]);
                    continue;
                }
                double sum = 0;
                for (int k = 0; k < kc; k++) {
                    sum += (double) a[ai + i * ars + k * acs] * b[bi + k * brs + j];
                }
                assertThat((double) c[at]).as("row %d column %d", i, j).isCloseTo(sum, within(1e-4));
            }
        }
        assertThat(c[ci - 1]).isEqualTo(before[ci - 1]);
    }

    private static float[] randomArray(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }
}
