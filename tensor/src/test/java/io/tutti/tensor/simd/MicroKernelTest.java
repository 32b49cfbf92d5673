package io.tutti.tensor.simd;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

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
        float[] a = TileChecks.randomArray(rnd, ai + rows * kc);
        float[] b = TileChecks.randomArray(rnd, bi + kc * nr);
        float[] c = TileChecks.randomArray(rnd, ci + rows * ldc);
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
        TileChecks.assertTile(rows, c, before, ci, ldc, accumulate, (i, j) -> {
            double sum = 0;
            for (int k = 0; k < kc; k++) {
                sum += (double) a[ai + k * rows + i] * b[bi + k * nr + j];
            }
            return sum;
        });
    }
}
