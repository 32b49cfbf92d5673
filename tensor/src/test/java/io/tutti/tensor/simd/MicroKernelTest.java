package io.tutti.tensor.simd;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Both register tiles, called on hand-made panels: only one of them serves {@link Gemm} on a given
 * CPU, so each is also checked here on its own.
 */
class MicroKernelTest {
    @ParameterizedTest(name = "rows={0} accumulate={1}")
    @CsvSource({"8, false", "8, true", "6, false", "6, true"})
    void tileMatchesAPlainLoop(int rows, boolean accumulate) {
        int nr = MicroKernel.NR;
        int kc = 37;
        int ai = 3;
        int bi = 5;
        int ldc = nr + 11;
        int ci = 7;
        Random rnd = new Random(rows);
        float[] a = randomArray(rnd, ai + rows * kc);
        float[] b = randomArray(rnd, bi + kc * nr);
        float[] c = randomArray(rnd, ci + rows * ldc);
        float[] before = c.clone();
        if (rows == 8 && accumulate) {
            MicroKernel.tile8Add(kc, a, ai, b, bi, c, ci, ldc);
        } else if (rows == 8) {
            MicroKernel.tile8Set(kc, a, ai, b, bi, c, ci, ldc);
        } else if (accumulate) {
            MicroKernel.tile6Add(kc, a, ai, b, bi, c, ci, ldc);
        } else {
            MicroKernel.tile6Set(kc, a, ai, b, bi, c, ci, ldc);
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < ldc; j++) {
                int at = ci + i * ldc + j;
                if (j >= nr) {
                    assertThat(c[at]).as("outside the tile at row %d column %d", i, j).isEqualTo(before[at]);
                    continue;
                }
                double sum = accumulate ? before[at] : 0;
                for (int k = 0; k < kc; k++) {
                    sum += (double) a[ai + k * rows + i] * b[bi + k * nr + j];
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
