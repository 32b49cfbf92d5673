package io.tutti.tensor.simd;

import io.tutti.tensor.Backend;
import io.tutti.tensor.Backends;
import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The packed float32 GEMM of the simd backend, checked against the reference backend's matmul. */
class SimdGemmTest {
    private static Backend simd;

    @BeforeAll
    static void needsSimd() {
        simd = Backends.simd();
        assumeTrue(simd != null, "the JVM lacks jdk.incubator.vector");
    }

    @ParameterizedTest(name = "{0}x{1} @ {1}x{2}")
    @CsvSource({
        "1, 1, 1", "7, 13, 5", "3, 2, 4", "6, 7, 32", "12, 256, 64", "65, 129, 33", "300, 17, 301",
        "1, 300, 200", "200, 300, 1", "145, 520, 70", "4, 0, 9", "0, 5, 3", "5, 3, 0",
        // Parallel products with several depth slices, cut over rows (shared B) and over columns (shared A).
        "610, 530, 300", "70, 600, 900", "40, 300, 2200"
    })
    void matchesReferenceOnOddShapes(int m, int k, int n) {
        Random rnd = new Random(m * 31L + k * 7L + n);
        Tensor a = random(rnd, m, k);
        Tensor b = random(rnd, k, n);
        assertClose(run(simd, a, b), run(Backends.reference(), a, b), k);
    }

    @Test
    void zeroDepthGivesZerosEvenInADirtyOutput() {
        Tensor a = Tensor.zeros(DType.FLOAT32, 70, 0);
        Tensor b = Tensor.zeros(DType.FLOAT32, 0, 90);
        Tensor out = Tensor.full(5, DType.FLOAT32, 70, 90);
        simd.matmul(a, b, out);
        assertThat(out.toFloatArray()).containsOnly(0f);
    }

    @ParameterizedTest(name = "transposeA={0} transposeB={1}")
    @CsvSource({"false, true", "true, false", "true, true"})
    void readsTransposedOperandsInPlace(boolean ta, boolean tb) {
        Random rnd = new Random(11);
        int m = 131, k = 77, n = 45;
        Tensor a = ta ? random(rnd, k, m).t() : random(rnd, m, k);
        Tensor b = tb ? random(rnd, n, k).t() : random(rnd, k, n);
        assertClose(run(simd, a, b), run(Backends.reference(), a, b), k);
    }

    @Test
    void readsSlicedAndSteppedViews() {
        Random rnd = new Random(12);
        Tensor a = random(rnd, 90, 160).slice(0, 3, 90, 2).slice(1, 1, 151, 3); // 44 x 50, both strides > 1
        Tensor b = random(rnd, 60, 120).narrow(0, 5, 50).slice(1, 0, 120, 2);   // 50 x 60
        assertClose(run(simd, a, b), run(Backends.reference(), a, b), 50);
    }

    @Test
    void broadcastsBatchDimensions() {
        Random rnd = new Random(13);
        Tensor a = random(rnd, 3, 1, 9, 20);
        Tensor b = random(rnd, 1, 4, 20, 11);
        Tensor got = run(simd, a, b);
        assertThat(got.shape()).containsExactly(3, 4, 9, 11);
        assertClose(got, run(Backends.reference(), a, b), 20);
    }

    @Test
    void largeBatchOfSmallProductsAndFewLargeOnes() {
        Random rnd = new Random(14);
        Tensor a = random(rnd, 64, 5, 7);
        Tensor b = random(rnd, 64, 7, 6);
        assertClose(run(simd, a, b), run(Backends.reference(), a, b), 7);
        Tensor c = random(rnd, 2, 100, 80).mT();
        Tensor d = random(rnd, 2, 100, 90);
        assertClose(run(simd, c, d), run(Backends.reference(), c, d), 100);
    }

    @ParameterizedTest(name = "k={0} tiles={1}x{2}")
    @CsvSource({"1, 2, 2", "40, 3, 2", "256, 1, 2"})
    void smallProductsReadEveryLayoutUnpacked(int k, int rowTiles, int columnPanels) {
        // Whole tiles (rows a multiple of MR, columns of NR), under 64^3 multiply-adds: the small-product path.
        Random rnd = new Random(17 + k);
        int m = rowTiles * MicroKernel.MR;
        int n = columnPanels * MicroKernel.NR;
        Tensor rowMajorA = random(rnd, 6, m, k);
        Tensor columnMajorA = random(rnd, 6, k, m).mT();
        Tensor rowMajorB = random(rnd, 6, k, n);
        Tensor columnMajorB = random(rnd, 6, n, k).mT();
        for (Tensor a : new Tensor[] {rowMajorA, columnMajorA}) {
            for (Tensor b : new Tensor[] {rowMajorB, columnMajorB}) {
                assertClose(run(simd, a, b), run(Backends.reference(), a, b), k);
            }
        }
    }

    @Test
    void attentionsPermutedHeadsMatchTheReference() {
        // q, k and v as MultiheadAttention makes them: slices of one [B, L, 3E] projection, split into heads.
        Random rnd = new Random(18);
        int heads = 2;
        int d = MicroKernel.NR;
        int len = 2 * MicroKernel.MR;
        int e = heads * d;
        Tensor qkv = random(rnd, 3, len, 3 * e);
        Tensor q = qkv.narrow(2, 0, e).reshape(3, len, heads, d).permute(0, 2, 1, 3);
        Tensor key = qkv.narrow(2, e, e).reshape(3, len, heads, d).permute(0, 2, 1, 3);
        Tensor v = qkv.narrow(2, 2 * e, e).reshape(3, len, heads, d).permute(0, 2, 1, 3);
        Tensor scores = run(simd, q, key.mT());
        assertClose(scores, run(Backends.reference(), q, key.mT()), d);
        Tensor w = random(rnd, 3, heads, len, len);
        assertClose(run(simd, w, v), run(Backends.reference(), w, v), len);
        assertClose(run(simd, w.mT(), q), run(Backends.reference(), w.mT(), q), len);
    }

    @Test
    void crossesEveryBlockBoundary() {
        Random rnd = new Random(15);
        int k = Gemm.KC + 3;
        // Tall: more rows than one packed block of A; wide: more columns than one packed slice of B.
        Tensor tall = random(rnd, Gemm.MC + MicroKernel.MR + 1, k);
        Tensor narrow = random(rnd, k, 40);
        assertClose(run(simd, tall, narrow), run(Backends.reference(), tall, narrow), k);
        Tensor flat = random(rnd, 7, k);
        Tensor wide = random(rnd, k, Gemm.NC + MicroKernel.NR + 5);
        assertClose(run(simd, flat, wide), run(Backends.reference(), flat, wide), k);
    }

    @ParameterizedTest(name = "{0}x{1} @ {1}x{2}")
    @CsvSource({"70, 40, 50", "5, 3, 4"})
    void writesThroughTheStridesOfANonContiguousOutput(int m, int k, int n) {
        Random rnd = new Random(16);
        Tensor a = random(rnd, m, k);
        Tensor b = random(rnd, k, n);
        Tensor expected = run(Backends.reference(), a, b);
        // A transposed output, and a column-sliced one whose gaps must stay untouched.
        Tensor outT = Tensor.zeros(DType.FLOAT32, n, m).t();
        simd.matmul(a, b, outT);
        assertClose(outT, expected, k);
        Tensor wide = Tensor.full(-7, DType.FLOAT32, m, 2 * n);
        Tensor outS = wide.slice(1, 0, 2 * n, 2);
        simd.matmul(a, b, outS);
        assertClose(outS, expected, k);
        assertThat(wide.slice(1, 1, 2 * n, 2).toFloatArray()).containsOnly(-7f);
    }

    @Test
    void otherDtypesFallBackToTheReferenceLoops() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.of(new double[] {5, 6, 7, 8}, 2, 2);
        Tensor out = Tensor.zeros(DType.FLOAT64, 2, 2);
        simd.matmul(a, b, out);
        assertThat(out.toDoubleArray()).containsExactly(19, 22, 43, 50);
    }

    private static Tensor run(Backend backend, Tensor a, Tensor b) {
        try (Backends.Scope ignored = Backends.use(backend)) {
            return a.matmul(b);
        }
    }

    private static Tensor random(Random rnd, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = rnd.nextFloat() * 2 - 1;
        }
        return Tensor.of(data, shape);
    }

    /** Entries in [-1, 1]: float accumulation over k terms errs by far less than 1e-6 * k. */
    private static void assertClose(Tensor got, Tensor expected, int k) {
        assertThat(got.shape()).containsExactly(expected.shape());
        float[] g = got.toFloatArray();
        float[] e = expected.toFloatArray();
        double tolerance = 1e-6 * Math.max(1, k);
        for (int i = 0; i < g.length; i++) {
            if (Math.abs(g[i] - e[i]) > tolerance) {
                throw new AssertionError("element " + i + " of " + Arrays.toString(expected.shape()) + ": got " + g[i]
                        + ", expected " + e[i]);
            }
        }
    }
}
