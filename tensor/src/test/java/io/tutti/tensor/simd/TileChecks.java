package io.tutti.tensor.simd;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What the register-tile tests share: random operands, and one tile of C checked against a plain loop. */
final class TileChecks {
    /** The exact product's entry {@code (i, j)} of the tile, summed in double. */
    @FunctionalInterface
    interface Product {
        double at(int i, int j);
    }

    private TileChecks() {
    }

    static float[] randomArray(Random rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextFloat() * 2 - 1;
        }
        return x;
    }

    /**
     * Rows {@code 0..rows-1} of C at {@code ci} (row stride {@code ldc}): inside the tile's
     * {@link MicroKernel#NR} columns the product (plus the old value when {@code accumulate}), the
     * columns beyond and the float before the tile untouched.
     */
    static void assertTile(int rows, float[] c, float[] before, int ci, int ldc, boolean accumulate, Product product) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < ldc; j++) {
                int at = ci + i * ldc + j;
                if (j >= MicroKernel.NR) {
                    assertThat(c[at]).as("outside the tile at row %d column %d", i, j).isEqualTo(before[at]);
                    continue;
                }
                double sum = (accumulate ? before[at] : 0) + product.at(i, j);
                assertThat((double) c[at]).as("row %d column %d", i, j).isCloseTo(sum, within(1e-4));
            }
        }
        assertThat(c[ci - 1]).isEqualTo(before[ci - 1]);
    }
}
