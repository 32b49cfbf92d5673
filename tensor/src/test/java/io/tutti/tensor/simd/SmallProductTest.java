package io.tutti.tensor.simd;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

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
        float[] a = TileChecks.randomArray(rnd, ai + (rows - 1) * ars + (kc - 1) * acs + 1);
        float[] b = TileChecks.randomArray(rnd, bi + kc * brs);
        float[] c = TileChecks.randomArray(rnd, ci + rows * ldc);
        float[] before = c.clone();
        if (rows == 8) {
            SmallProduct.tile8(kc, a, ai, ars, acs, b, bi, brs, c, ci, ldc);
        } else {
            SmallProduct.tile6(kc, a, ai, ars, acs, b, bi, brs, c, ci, ldc);
        }
        TileChecks.assertTile(rows, c, before, ci, ldc, false, (i, j) -> {
            double sum = 0;
            for (int k = 0; k < kc; k++) {
                sum += (double) a[ai + i * ars + k * acs] * b[bi + k * brs + j];
            }
            return sum;
        });
    }
}
