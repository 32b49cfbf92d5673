package io.tutti.tensor.simd;

import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.tutti.tensor.simd.SimdTesting.REF;
import static io.tutti.tensor.simd.SimdTesting.SIMD;
import static io.tutti.tensor.simd.SimdTesting.assertSame;
import static io.tutti.tensor.simd.SimdTesting.onReference;
import static io.tutti.tensor.simd.SimdTesting.onSimd;
import static io.tutti.tensor.simd.SimdTesting.random;

/** The simd backend's last-axis scatter-add (max-pool backward's) against the reference loop. */
class SimdScatterAddTest {

    private static Tensor indices(Random random, int bound, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(bound);    // many repeats: additions must accumulate
        }
        return Tensor.of(v, shape);
    }

    private static void check(String what, int[] outShape, int[] indexShape, int dim, Random random) {
        Tensor start = random(random, -1f, 1f, outShape);
        Tensor index = indices(random, outShape[dim], indexShape);
        Tensor src = random(random, -1f, 1f, indexShape);
        Tensor expected = start.copy();
        Tensor actual = start.copy();
        onReference(() -> {
            REF.scatterAdd(expected, dim, index, src);
            return null;
        });
        onSimd(() -> {
            SIMD.scatterAdd(actual, dim, index, src);
            return null;
        });
        assertSame(what, actual, expected);
    }

    @Test
    void lastAxisScatterAddsMatchTheReference() {
        Random random = new Random(12);
        check("2-d", new int[] {5, 9}, new int[] {5, 20}, 1, random);
        check("3-d", new int[] {4, 3, 7}, new int[] {4, 3, 4}, 2, random);
        check("many rows", new int[] {300, 16}, new int[] {300, 40}, 1, random);
        check("empty", new int[] {3, 4}, new int[] {3, 0}, 1, random);
    }

    @Test
    void otherAxesAndPartialIndicesFallBackToTheReference() {
        Random random = new Random(13);
        check("first axis", new int[] {6, 5}, new int[] {9, 5}, 0, random);
        check("index narrower than out", new int[] {6, 5}, new int[] {4, 8}, 1, random);
    }
}
