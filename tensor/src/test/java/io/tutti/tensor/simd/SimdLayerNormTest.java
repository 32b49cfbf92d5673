package io.tutti.tensor.simd;

import io.tutti.tensor.Composites;
import io.tutti.tensor.DType;
import io.tutti.tensor.Normalization;
import io.tutti.tensor.Parallel;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static io.tutti.tensor.simd.SimdTesting.SIMD;
import static io.tutti.tensor.simd.SimdTesting.assertClose;
import static io.tutti.tensor.simd.SimdTesting.assertSame;
import static io.tutti.tensor.simd.SimdTesting.layouts;
import static io.tutti.tensor.simd.SimdTesting.onReference;
import static io.tutti.tensor.simd.SimdTesting.onSimd;
import static io.tutti.tensor.simd.SimdTesting.random;
import static org.assertj.core.api.Assertions.assertThat;

/** The simd backend's fused layer norm, forward and backward, against the composites on the reference backend. */
class SimdLayerNormTest {
    /** Row lengths around the vector width and the transformer's 128, each also split over two dimensions. */
    private static final int[][] NORMALIZED_SHAPES = {{1}, {5}, {17}, {128}, {130}, {1, 1}, {1, 5}, {17, 1}, {8, 16}, {10, 13}};
    private static final int[][] LEADING_SHAPES = {{1}, {3}, {4, 16}};

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** One case: input, gradient, optional weight and bias; checks both directions on every layout of x and grad. */
    private static void check(String what, Tensor x, Tensor grad, int[] normalized, Tensor weight, Tensor bias) {
        int k = normalized.length;
        Normalization.LayerNormOutput expected = onReference(() -> Composites.layerNorm(x, k, weight, bias, 1e-5));
        Normalization.LayerNormGrads expectedGrads = onReference(() -> Composites.layerNormBackward(grad, x, expected.mean(),
                expected.invStd(), weight, k, true, true));
        for (Map.Entry<String, Tensor> in : layouts(x).entrySet()) {
            String name = what + " x " + in.getKey();
            Normalization.LayerNormOutput actual = onSimd(() -> SIMD.layerNorm(in.getValue(), k, weight, bias, 1e-5));
            assertClose(name + " output", actual.output(), expected.output(), 1e-5, 1e-5);
            assertClose(name + " mean", actual.mean(), expected.mean(), 1e-5, 1e-6);
            assertClose(name + " invStd", actual.invStd(), expected.invStd(), 1e-5, 1e-6);
        }
        for (Map.Entry<String, Tensor> g : layouts(grad).entrySet()) {
            String name = what + " grad " + g.getKey();
            Normalization.LayerNormGrads actual = onSimd(() -> SIMD.layerNormBackward(g.getValue(), x, expected.mean(),
                    expected.invStd(), weight, k, true, true));
            assertClose(name + " dx", actual.input(), expectedGrads.input(), 1e-4, 1e-4);
            assertClose(name + " dweight", actual.weight(), expectedGrads.weight(), 1e-4, 1e-4);
            assertClose(name + " dbias", actual.bias(), expectedGrads.bias(), 1e-4, 1e-4);
        }
        Normalization.LayerNormGrads onlyInput = onSimd(() -> SIMD.layerNormBackward(grad, x, expected.mean(), expected.invStd(),
                weight, k, true, false));
        assertClose(what + " dx alone", onlyInput.input(), expectedGrads.input(), 1e-4, 1e-4);
        assertThat(onlyInput.weight()).isNull();
        Normalization.LayerNormGrads onlyAffine = onSimd(() -> SIMD.layerNormBackward(grad, x, expected.mean(), expected.invStd(),
                weight, k, false, true));
        assertThat(onlyAffine.input()).isNull();
        assertClose(what + " dbias alone", onlyAffine.bias(), expectedGrads.bias(), 1e-4, 1e-4);
    }

    @Test
    void matchesTheCompositeOnOddShapesAndLayouts() {
        Random random = new Random(21);
        for (int[] normalized : NORMALIZED_SHAPES) {
            for (int[] leading : LEADING_SHAPES) {
                int[] shape = concat(leading, normalized);
                Tensor x = random(random, -3f, 5f, shape);
                Tensor grad = random(random, -1f, 1f, shape);
                Tensor w = random(random, 0.5f, 2f, normalized);
                Tensor b = random(random, -1f, 1f, normalized);
                String what = Arrays.toString(shape) + " over " + Arrays.toString(normalized);
                check(what + " affine", x, grad, normalized, w, b);
                check(what + " plain", x, grad, normalized, null, null);
            }
        }
    }

    @Test
    void weightWithoutBiasAndBiasWithoutWeight() {
        Random random = new Random(22);
        int[] normalized = {17};
        Tensor x = random(random, -3f, 3f, 6, 17);
        Tensor grad = random(random, -1f, 1f, 6, 17);
        check("weight only", x, grad, normalized, random(random, 0.5f, 2f, 17), null);
        check("bias only", x, grad, normalized, null, random(random, -1f, 1f, 17));
    }

    @Test
    void constantRowsAndAnInputEqualToTheNormalizedShape() {
        Tensor constant = Tensor.full(3, DType.FLOAT32, 4, 9);
        Tensor grad = random(new Random(23), -1f, 1f, 4, 9);
        check("constant rows", constant, grad, new int[] {9}, null, null);
        Tensor single = random(new Random(24), -1f, 1f, 2, 3);
        check("no leading dims", single, grad.narrow(0, 0, 2).narrow(1, 0, 3).contiguous(), new int[] {2, 3},
                random(new Random(25), -1f, 1f, 2, 3), null);
    }

    @Test
    void emptyBatchGivesEmptyOutputsAndZeroAffineGradients() {
        Tensor x = Tensor.zeros(0, 5);
        Normalization.LayerNormOutput out = onSimd(() -> SIMD.layerNorm(x, 1, Tensor.ones(5), Tensor.zeros(5), 1e-5));
        assertThat(out.output().shape()).containsExactly(0, 5);
        assertThat(out.mean().shape()).containsExactly(0, 1);
        Normalization.LayerNormGrads g = onSimd(() -> SIMD.layerNormBackward(x, x, out.mean(), out.invStd(), Tensor.ones(5), 1,
                true, true));
        assertThat(g.input().shape()).containsExactly(0, 5);
        assertThat(g.weight().toFloatArray()).containsExactly(0, 0, 0, 0, 0);
    }

    @Test
    void float64FallsBackToTheComposite() {
        Tensor x = onReference(() -> random(new Random(26), -1f, 1f, 3, 7).to(DType.FLOAT64));
        Tensor w = onReference(() -> Tensor.ones(7).to(DType.FLOAT64));
        assertThat(VectorLayerNorm.supports(x, w)).isFalse();
        Normalization.LayerNormOutput out = onSimd(() -> Normalization.layerNormForward(x, new int[] {7}, w, null, 1e-5));
        assertThat(out.output().dtype()).isEqualTo(DType.FLOAT64);
        assertSame("float64 output", out.output(), onReference(() -> Composites.layerNorm(x, 1, w, null, 1e-5)).output());
    }

    @Test
    void theNormalizationEntryPointsReachTheFusedKernel() {
        Random random = new Random(27);
        Tensor x = random(random, -2f, 2f, 5, 33);
        Tensor w = random(random, 0.5f, 2f, 33);
        Tensor b = random(random, -1f, 1f, 33);
        Tensor grad = random(random, -1f, 1f, 5, 33);
        Normalization.LayerNormOutput viaEntry = onSimd(() -> Normalization.layerNormForward(x, new int[] {33}, w, b, 1e-5));
        assertSame("forward", viaEntry.output(), VectorLayerNorm.forward(x, 1, w, b, 1e-5).output());
        Normalization.LayerNormGrads gradsViaEntry = onSimd(() -> Normalization.layerNormBackward(grad, x, viaEntry.mean(),
                viaEntry.invStd(), w, new int[] {33}, true, true));
        Normalization.LayerNormGrads direct = VectorLayerNorm.backward(grad, x, viaEntry.mean(), viaEntry.invStd(), w, 1, true, true);
        assertSame("dx", gradsViaEntry.input(), direct.input());
        assertSame("dweight", gradsViaEntry.weight(), direct.weight());
    }

    /**
     * The affine gradients sum over rows in fixed chunks, so the parallel run gives the same bits as
     * one thread running every chunk. The batch is large enough to be split whenever the pool has
     * more than one thread.
     */
    @Test
    void affineGradientsDoNotDependOnTheThreadCount() {
        Random random = new Random(28);
        int rows = 37 * VectorLayerNorm.CHUNK_ROWS + 5;
        assertThat((long) rows * 128).as("big enough to run in parallel").isGreaterThan(2L * Rows.GRAIN);
        Tensor x = random(random, -3f, 3f, rows, 128);
        Tensor grad = random(random, -1f, 1f, rows, 128);
        Tensor w = random(random, 0.5f, 2f, 128);
        Normalization.LayerNormOutput out = VectorLayerNorm.forward(x, 1, w, null, 1e-5);
        Normalization.LayerNormGrads parallel = VectorLayerNorm.backward(grad, x, out.mean(), out.invStd(), w, 1, true, true, true);
        Normalization.LayerNormGrads serial = VectorLayerNorm.backward(grad, x, out.mean(), out.invStd(), w, 1, true, true, false);
        assertSame("dweight over " + Parallel.threads() + " threads", parallel.weight(), serial.weight());
        assertSame("dbias over " + Parallel.threads() + " threads", parallel.bias(), serial.bias());
        assertSame("dx over " + Parallel.threads() + " threads", parallel.input(), serial.input());
        Normalization.LayerNormGrads expected = onReference(() -> Composites.layerNormBackward(grad, x, out.mean(), out.invStd(), w,
                1, true, true));
        assertClose("dweight against the composite", parallel.weight(), expected.weight(), 1e-4, 1e-3);
    }
}
