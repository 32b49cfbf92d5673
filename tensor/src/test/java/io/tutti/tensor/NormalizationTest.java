package io.tutti.tensor;

import org.junit.jupiter.api.Test;

import static io.tutti.tensor.KernelTesting.assertClose;
import static io.tutti.tensor.KernelTesting.forEachBackendAndDType;
import static io.tutti.tensor.KernelTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NormalizationTest {

    /** Per-channel mean and biased variance of [n, c, s] by direct loops: {means..., variances...}. */
    private static double[][] naiveChannelMoments(double[] x, int n, int c, int s) {
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < s; i++) {
                    sum += x[(b * c + ch) * s + i];
                }
            }
            mean[ch] = sum / (n * s);
            double sq = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < s; i++) {
                    double d = x[(b * c + ch) * s + i] - mean[ch];
                    sq += d * d;
                }
            }
            var[ch] = sq / (n * s);
        }
        return new double[][] {mean, var};
    }

    @Test
    void batchNormStatsMatchDirectLoopsPerChannel() {
        Generator gen = new Generator(1);
        forEachBackendAndDType(dt -> {
            Tensor x = random(gen, dt, 3, 4, 5, 2).add(3);
            Normalization.Moments m = Normalization.batchNormStats(x, new int[] {0, 2, 3});
            double[][] expected = naiveChannelMoments(x.toDoubleArray(), 3, 4, 10);
            assertThat(m.mean().shape()).containsExactly(4);
            assertThat(m.count()).isEqualTo(30);
            assertClose(m.mean(), expected[0], dt);
            assertClose(m.variance(), expected[1], dt);
            double[] unbiased = expected[1].clone();
            for (int i = 0; i < unbiased.length; i++) {
                unbiased[i] *= 30.0 / 29.0;
            }
            assertClose(m.unbiasedVariance(), unbiased, dt);
            assertClose(Normalization.batchNormStats(x).variance(), expected[1], dt);
        });
    }

    @Test
    void batchNormWithItsOwnStatisticsGivesZeroMeanUnitVariance() {
        Generator gen = new Generator(2);
        forEachBackendAndDType(dt -> {
            Tensor x = random(gen, dt, 4, 3, 7).mul(2).add(5);
            Normalization.Moments m = Normalization.batchNormStats(x);
            Tensor w = Tensor.of(new double[] {1, 2, 3}, 3).to(dt);
            Tensor b = Tensor.of(new double[] {0, -1, 1}, 3).to(dt);
            Tensor y = Normalization.batchNorm(x, m.mean(), m.variance(), w, b, 0);
            Normalization.Moments after = Normalization.batchNormStats(y);
            assertClose(after.mean(), new double[] {0, -1, 1}, dt);
            assertClose(after.variance(), new double[] {1, 4, 9}, dt);

            // Against a direct formula with eps and without the affine parameters.
            Tensor noAffine = Normalization.batchNorm(x, m.mean(), m.variance(), null, null, 1e-5);
            double[] xs = x.toDoubleArray();
            double[] mean = m.mean().toDoubleArray();
            double[] var = m.variance().toDoubleArray();
            double[] expected = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                int ch = (i / 7) % 3;
                expected[i] = (xs[i] - mean[ch]) / Math.sqrt(var[ch] + 1e-5);
            }
            assertClose(noAffine, expected, dt);
        });
    }

    @Test
    void layerNormNormalisesTheTrailingDimensions() {
        Generator gen = new Generator(3);
        forEachBackendAndDType(dt -> {
            Tensor x = random(gen, dt, 2, 3, 4);
            Normalization.Moments m = Normalization.layerNormStats(x, 2);
            assertThat(m.mean().shape()).containsExactly(2, 1, 1);
            assertThat(m.count()).isEqualTo(12);

            Tensor w = random(gen, dt, 3, 4);
            Tensor b = random(gen, dt, 3, 4);
            Tensor y = Normalization.layerNorm(x, new int[] {3, 4}, w, b, 1e-5);
            double[] xs = x.toDoubleArray();
            double[] ws = w.toDoubleArray();
            double[] bs = b.toDoubleArray();
            double[] expected = new double[xs.length];
            for (int row = 0; row < 2; row++) {
                double sum = 0;
                for (int i = 0; i < 12; i++) {
                    sum += xs[row * 12 + i];
                }
                double mean = sum / 12;
                double sq = 0;
                for (int i = 0; i < 12; i++) {
                    sq += (xs[row * 12 + i] - mean) * (xs[row * 12 + i] - mean);
                }
                double rstd = 1 / Math.sqrt(sq / 12 + 1e-5);
                for (int i = 0; i < 12; i++) {
                    expected[row * 12 + i] = (xs[row * 12 + i] - mean) * rstd * ws[i] + bs[i];
                }
            }
            assertClose(y, expected, dt);

            Tensor lastOnly = Normalization.layerNorm(x, new int[] {4}, null, null, 0);
            Normalization.Moments s = Normalization.layerNormStats(lastOnly, 1);
            assertClose(s.mean(), new double[6], dt);
            assertClose(s.variance(), new double[] {1, 1, 1, 1, 1, 1}, dt);
        });
    }

    @Test
    void errorsNameTheOpAndTheShapes() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertThatThrownBy(() -> Normalization.layerNorm(x, new int[] {3}, null, null, 1e-5))
                .hasMessage("layerNorm: normalized shape [3] is not the trailing shape of input [2, 3, 4]");
        assertThatThrownBy(() -> Normalization.layerNorm(x, new int[] {4}, Tensor.ones(3), null, 1e-5))
                .hasMessage("layerNorm: weight of shape [3] must be [4]");
        assertThatThrownBy(() -> Normalization.batchNorm(x, Tensor.zeros(4), Tensor.ones(3), null, null, 1e-5))
                .hasMessage("batchNorm: mean of shape [4] must be [3] for input of shape [2, 3, 4]");
        assertThatThrownBy(() -> Normalization.batchNormStats(Tensor.zeros(1, 3), new int[] {0}).unbiasedVariance())
                .hasMessageStartingWith("unbiasedVariance: needs more than 1 value per statistic, got 1");
        assertThatThrownBy(() -> Normalization.layerNormStats(x, 4))
                .hasMessageStartingWith("layerNormStats: cannot normalise the last 4 dimensions of shape [2, 3, 4]");
        assertThatThrownBy(() -> Normalization.batchNormStats(Tensor.zeros(DType.INT32, 2, 3)))
                .hasMessageStartingWith("batchNormStats: needs a floating tensor");
    }

    @Test
    void layerNormForwardAndBackwardAgreeWithTheCompositesOnEveryBackend() {
        Generator gen = new Generator(4);
        forEachBackendAndDType(dt -> {
            Tensor x = random(gen, dt, 3, 2, 5);
            Tensor w = random(gen, dt, 5);
            Tensor b = random(gen, dt, 5);
            Tensor grad = random(gen, dt, 3, 2, 5);
            Normalization.LayerNormOutput out = Normalization.layerNormForward(x, new int[] {5}, w, b, 1e-5);
            Normalization.LayerNormOutput composite = Composites.layerNorm(x, 1, w, b, 1e-5);
            assertThat(out.mean().shape()).containsExactly(3, 2, 1);
            assertClose(out.output(), composite.output().toDoubleArray(), dt);
            assertClose(out.invStd(), composite.invStd().toDoubleArray(), dt);
            assertClose(Normalization.layerNorm(x, new int[] {5}, w, b, 1e-5), composite.output().toDoubleArray(), dt);
            Normalization.LayerNormGrads g = Normalization.layerNormBackward(grad, x, out.mean(), out.invStd(), w, new int[] {5},
                    true, true);
            Normalization.LayerNormGrads expected = Composites.layerNormBackward(grad, x, out.mean(), out.invStd(), w, 1, true, true);
            assertClose(g.input(), expected.input().toDoubleArray(), dt);
            assertClose(g.weight(), expected.weight().toDoubleArray(), dt);
            assertClose(g.bias(), grad.sum(new int[] {0, 1}, false).toDoubleArray(), dt);
        });
    }

    @Test
    void layerNormForwardAndBackwardErrorsNameTheOpAndTheShapes() {
        Tensor x = Tensor.zeros(2, 3, 4);
        Tensor stats = Tensor.zeros(2, 3, 1);
        assertThatThrownBy(() -> Normalization.layerNormForward(x, new int[] {3, 3}, null, null, 1e-5))
                .hasMessage("layerNorm: normalized shape [3, 3] is not the trailing shape of input [2, 3, 4]");
        assertThatThrownBy(() -> Normalization.layerNormForward(x, new int[] {4}, null, Tensor.ones(2, 2), 1e-5))
                .hasMessage("layerNorm: bias of shape [2, 2] must be [4]");
        assertThatThrownBy(() -> Normalization.layerNormForward(x, new int[] {4}, null, null, -1))
                .hasMessage("layerNorm: eps must be non-negative, got -1.0");
        assertThatThrownBy(() -> Normalization.layerNormForward(Tensor.zeros(DType.INT32, 2, 4), new int[] {4}, null, null, 1e-5))
                .hasMessage("layerNorm: needs a floating tensor, got INT32");
        assertThatThrownBy(() -> Normalization.layerNormForward(Tensor.zeros(2, 0), new int[] {0}, null, null, 1e-5))
                .hasMessage("layerNorm: no values to normalise in normalized shape [0]");
        assertThatThrownBy(() -> Normalization.layerNormBackward(Tensor.zeros(2, 3, 5), x, stats, stats, null, new int[] {4},
                true, true)).hasMessage("layerNormBackward: gradient of shape [2, 3, 5] must have the input's shape [2, 3, 4]");
        assertThatThrownBy(() -> Normalization.layerNormBackward(x, x, Tensor.zeros(2, 1, 1), stats, null, new int[] {4},
                true, true)).hasMessage("layerNormBackward: mean of shape [2, 1, 1] must be [2, 3, 1] for input of shape [2, 3, 4]");
        assertThatThrownBy(() -> Normalization.layerNormBackward(x, x, stats, null, null, new int[] {4}, true, true))
                .hasMessage("layerNormBackward: invStd of shape null must be [2, 3, 1] for input of shape [2, 3, 4]");
        assertThatThrownBy(() -> Normalization.layerNormBackward(x, x, stats, stats, Tensor.ones(3), new int[] {4}, true, true))
                .hasMessage("layerNormBackward: weight of shape [3] must be [4]");
    }
}
