package io.tutti.multimodal.methods;

import io.tutti.nn.Linear;
import io.tutti.nn.Parameter;
import io.tutti.nn.ReLU;
import io.tutti.nn.Sequential;
import io.tutti.optim.FlatProjector;
import io.tutti.optim.OwmProjector;
import io.tutti.optim.SGD;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The mechanisms of MLA and MIE on tiny fixed tensors, against hand computations. */
class MechanismsTest {
    private static final Tensor ALL = Tensor.of(new float[] {1, 1, 1}, 3);

    private static double entropy(double... logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (double z : logits) {
            sum += Math.exp(z - max);
        }
        double h = 0;
        for (double z : logits) {
            double p = Math.exp(z - max) / sum;
            h -= p * Math.log(p);
        }
        return h;
    }

    // --- MLA: entropy fusion ---

    @Test
    void perSampleEntropyFusionWeighsTheConfidentModalityAndRenormalisesOverPresentOnes() {
        Tensor za = Tensor.of(new float[] {0, 0, 2, 0, 1, 1}, 3, 2);
        Tensor zv = Tensor.of(new float[] {5, 0, 0, 0, 3, 0}, 3, 2);
        Tensor presentA = Tensor.of(new float[] {1, 1, 0}, 3);
        EntropyFusion f = EntropyFusion.perSample();
        Tensor beta = f.weights(List.of(za, zv), List.of(presentA, ALL));

        double ea = entropy(0, 0);
        double ev = entropy(5, 0);
        // β_a = exp(max e − e_a) / Σ exp(max e − e_i)
        double betaA = Math.exp(ea - ea) / (Math.exp(ea - ea) + Math.exp(ea - ev));
        assertThat(beta.get(0, 0)).isCloseTo(betaA, within(1e-12));
        assertThat(beta.get(0, 1)).isCloseTo(1 - betaA, within(1e-12));
        assertThat(betaA).isLessThan(0.5);   // audio is uniform (unsure), video confident
        // sample 1: both uniform -> equal weights; sample 2: audio missing -> video alone
        assertThat(beta.get(1, 0)).isCloseTo(1 / (1 + Math.exp(entropy(2, 0) - entropy(0, 0))), within(1e-12));
        assertThat(beta.get(2, 0)).isZero();
        assertThat(beta.get(2, 1)).isEqualTo(1.0);

        Tensor fused = f.fuse(List.of(za, zv), List.of(presentA, ALL));
        assertThat(fused.get(0, 0)).isCloseTo(betaA * 0 + (1 - betaA) * 5, within(1e-5));
        assertThat(fused.get(2, 0)).isEqualTo(3f);
        assertThat(fused.get(2, 1)).isEqualTo(0f);

        Tensor none = Tensor.of(new float[] {0, 0, 0}, 3);
        Tensor empty = f.fuse(List.of(za, zv), List.of(none, none));
        assertThat(empty.abs().max().item()).isZero();
    }

    @Test
    void perBatchEntropyIsTheReleasedCodesSoftmaxOverTheBatchAxis() {
        Tensor za = Tensor.of(new float[] {0, 1, 2, 0}, 2, 2);
        Tensor zv = Tensor.of(new float[] {3, 0, 0, 0}, 2, 2);
        // softmax over dim 0 of column 0 of za: [e^0, e^2]/(1 + e^2); column 1: [e^1, e^0]/(e + 1)
        double[] c0 = {1 / (1 + Math.exp(2)), Math.exp(2) / (1 + Math.exp(2))};
        double[] c1 = {Math.E / (Math.E + 1), 1 / (Math.E + 1)};
        double ea = 0;
        for (double p : new double[] {c0[0], c0[1], c1[0], c1[1]}) {
            ea -= p * Math.log(p);
        }
        assertThat(EntropyFusion.batchEntropy(za)).isCloseTo(ea, within(1e-12));
        Tensor beta = EntropyFusion.perBatch().weights(List.of(za, zv), List.of(ALL.narrow(0, 0, 2), ALL.narrow(0, 0, 2)));
        double ev = EntropyFusion.batchEntropy(zv);
        double betaA = 1 / (1 + Math.exp(ea - ev));
        assertThat(beta.get(0, 0)).isCloseTo(betaA, within(1e-12));
        assertThat(beta.get(1, 0)).isCloseTo(betaA, within(1e-12));   // one weight for the whole batch
    }

    @Test
    void fixedWeightsAreTheReleasedOnesAndRenormalise() {
        assertThat(EntropyFusion.releasedFixedWeights(2)).containsExactly(0.55, 0.45);
        assertThat(EntropyFusion.releasedFixedWeights(3)).containsExactly(0.35, 0.25, 0.40);
        Tensor za = Tensor.of(new float[] {1, 0, 1, 0}, 2, 2);
        Tensor zv = Tensor.of(new float[] {0, 1, 0, 1}, 2, 2);
        Tensor fused = EntropyFusion.fixed(0.55, 0.45).fuse(List.of(za, zv),
                List.of(Tensor.of(new float[] {1, 1}, 2), Tensor.of(new float[] {1, 0}, 2)));
        assertThat(fused.get(0, 0)).isCloseTo(0.55, within(1e-6));
        assertThat(fused.get(0, 1)).isCloseTo(0.45, within(1e-6));
        assertThat(fused.get(1, 0)).isEqualTo(1f);   // video missing: audio's logits
        assertThatThrownBy(() -> EntropyFusion.fixed(1, 1).weights(List.of(za), List.of(ALL)))
                .hasMessageContaining("2 fixed weights for 1 modalities");
    }

    // --- MLA: head-gradient projection ---

    /** P after one update from the identity with r = [1, 1], α = 0.1: I − [1 1; 1 1]/2.1, Frobenius-normalised. */
    private static double[] handP(boolean normalise) {
        double a = 1 - 1 / 2.1;
        double b = -1 / 2.1;
        double n = normalise ? Math.sqrt(2 * a * a + 2 * b * b) : 1;
        return new double[] {a / n, b / n, b / n, a / n};
    }

    @Test
    void currentBatchSourceUpdatesPThenProjectsAndNeverTheFirstStep() {
        Parameter w = new Parameter(Tensor.of(new double[] {0, 0}, 1, 2));
        SGD sgd = new SGD(List.of(w), SGD.options().lr(1.0));
        HeadProjection hp = new HeadProjection(2, HeadProjection.Source.CURRENT_BATCH, true, OwmProjector.Mode.REPLACE);
        sgd.addGradientTransform(hp.transformFor(w));
        Tensor features = Tensor.of(new double[] {2, 0, 0, 2}, 2, 2);   // batch mean r = [1, 1]
        Tensor g = Tensor.of(new double[] {1, 3}, 1, 2);

        w.grad(g.copy());
        hp.beforeStep(features, 0.1);
        sgd.step();
        hp.afterStep(features, 0.1);
        assertThat(w.data().toDoubleArray()).containsExactly(-1, -3);   // first step: not projected
        assertThat(hp.projector().updates()).isZero();

        w.grad(g.copy());
        hp.beforeStep(features, 0.1);
        sgd.step();
        hp.afterStep(features, 0.1);
        double[] p = handP(true);
        // G Pᵀ = [1*p00 + 3*p01, 1*p10 + 3*p11]
        assertThat(w.data().get(0, 0)).isCloseTo(-1 - (p[0] + 3 * p[1]), within(1e-12));
        assertThat(w.data().get(0, 1)).isCloseTo(-3 - (p[2] + 3 * p[3]), within(1e-12));
        assertThat(hp.projector().matrix().toDoubleArray()).containsExactly(p, within(1e-12));
    }

    @Test
    void previousModalitySourceProjectsWithTheFeaturesOfTheStepBefore() {
        Parameter w = new Parameter(Tensor.of(new double[] {0, 0}, 1, 2));
        SGD sgd = new SGD(List.of(w), SGD.options().lr(1.0));
        HeadProjection hp = new HeadProjection(2, HeadProjection.Source.PREVIOUS_MODALITY, false, OwmProjector.Mode.REPLACE);
        sgd.addGradientTransform(hp.transformFor(w));
        Tensor audio = Tensor.of(new double[] {1, 1}, 1, 2);
        Tensor video = Tensor.of(new double[] {5, -7}, 1, 2);
        Tensor g = Tensor.of(new double[] {1, 3}, 1, 2);

        w.grad(g.copy());
        hp.beforeStep(audio, 0.1);
        sgd.step();
        hp.afterStep(audio, 0.1);       // P now from audio's r
        assertThat(hp.projector().matrix().toDoubleArray()).containsExactly(handP(false), within(1e-12));

        w.grad(g.copy());
        hp.beforeStep(video, 0.1);      // video's features do not enter before its step
        sgd.step();
        double[] p = handP(false);
        assertThat(w.data().get(0, 0)).isCloseTo(-1 - (p[0] + 3 * p[1]), within(1e-12));
        hp.afterStep(video, 0.1);
        assertThat(hp.projector().updates()).isEqualTo(2);
        assertThat(hp.steps()).isEqualTo(2);
    }

    @Test
    void asAlphaGoesToZeroTheProjectedGradientIsOrthogonalToTheStoredFeature() {
        Tensor r = Tensor.of(new double[] {1, 2, -3}, 1, 3);
        Tensor g = new Generator(1).normal(0, 1, DType.FLOAT64, 4, 3);
        double previous = Double.POSITIVE_INFINITY;
        for (double alpha : new double[] {1, 1e-2, 1e-4, 1e-8}) {
            for (boolean normalise : new boolean[] {false, true}) {
                HeadProjection hp = new HeadProjection(3, HeadProjection.Source.PREVIOUS_MODALITY, normalise, OwmProjector.Mode.REPLACE);
                hp.afterStep(r, alpha);
                Tensor projected = g.matmul(hp.projector().matrix().t());
                // the update ΔW = −η G Pᵀ changes the output for r by −η G Pᵀ rᵀ
                double change = projected.matmul(r.t()).abs().max().item();
                double scale = g.abs().max().item() * 14;   // |G| * |r|^2 bounds the unprojected change
                if (!normalise) {
                    assertThat(change).isLessThan(scale * alpha);
                    assertThat(change).isLessThanOrEqualTo(previous);
                    previous = change;
                } else {
                    assertThat(change).isLessThan(scale * alpha * 2);
                }
            }
        }
        assertThat(previous).isLessThan(1e-6);
    }

    // --- MIE: Beta sampler and mixup ---

    @Test
    void betaSamplesHaveTheRightMomentsAndAreReproducible() {
        double[][] cases = {{2, 5}, {0.5, 0.5}, {1, 1}, {3, 0.7}};
        for (double[] c : cases) {
            BetaDistribution beta = new BetaDistribution(c[0], c[1]);
            Generator gen = new Generator(42);
            int n = 20000;
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                double x = beta.sample(gen);
                assertThat(x).isBetween(0.0, 1.0);
                sum += x;
                sumSq += x * x;
            }
            double mean = sum / n;
            double var = sumSq / n - mean * mean;
            double s = c[0] + c[1];
            assertThat(mean).as("mean of Beta(%s, %s)", c[0], c[1]).isCloseTo(c[0] / s, within(0.01));
            assertThat(var).as("variance of Beta(%s, %s)", c[0], c[1]).isCloseTo(c[0] * c[1] / (s * s * (s + 1)), within(0.005));
        }
        assertThat(new BetaDistribution(1, 1).sample(new Generator(3))).isEqualTo(new BetaDistribution(1, 1).sample(new Generator(3)));
        double gammaMean = 0;
        Generator gen = new Generator(5);
        for (int i = 0; i < 20000; i++) {
            gammaMean += BetaDistribution.gamma(0.3, gen) / 20000;
        }
        assertThat(gammaMean).isCloseTo(0.3, within(0.02));
        assertThatThrownBy(() -> new BetaDistribution(0, 1)).hasMessageContaining("positive");
    }

    @Test
    void mixupIsAConvexCombinationWithAPermutedPartner() {
        int b = 5;
        Tensor x = Tensor.eye(b, DType.FLOAT32);    // row i is e_i, so a mixed row shows λ and its partner
        Tensor y = Tensor.of(new int[] {10, 11, 12, 13, 14}, b);
        Mixup mix = Mixup.of(x, y, 1.0, new Generator(9));
        double lambda = mix.lambda();
        assertThat(lambda).isBetween(0.0, 1.0);
        for (int i = 0; i < b; i++) {
            int partner = mix.shuffled().toIntArray()[i] - 10;
            for (int j = 0; j < b; j++) {
                double expected = (j == i ? lambda : 0) + (j == partner ? 1 - lambda : 0);
                assertThat(mix.input().get(i, j)).isCloseTo(expected, within(1e-6));
            }
        }
        assertThat(mix.labels()).isSameAs(y);
        Mixup off = Mixup.of(x, y, 0, new Generator(9));
        assertThat(off.lambda()).isEqualTo(1.0);
        assertThat(off.input()).isSameAs(x);
    }

    // --- MIE: flat projection ---

    @Test
    void twinsArePairedInOrderOrAllSameShaped() {
        Generator gen = new Generator(1);
        Linear a1 = new Linear(4, 3, gen);
        Linear a2 = new Linear(4, 3, gen);
        Linear a3 = new Linear(3, 2, gen);
        Linear o1 = new Linear(4, 3, gen);
        Linear o2 = new Linear(4, 3, gen);
        Linear o3 = new Linear(5, 2, gen);
        Map<Linear, List<Linear>> paired = FlatProjection.twins(List.of(a1, a2, a3), List.of(o1, o2, o3), FlatProjection.Matching.PAIRED);
        assertThat(paired).containsOnlyKeys(a1, a2);
        assertThat(paired.get(a1)).containsExactly(o1);
        assertThat(paired.get(a2)).containsExactly(o2);
        Map<Linear, List<Linear>> all = FlatProjection.twins(List.of(a1, a3), List.of(o1, o2, o3), FlatProjection.Matching.ALL_SAME_SHAPE);
        assertThat(all.get(a1)).containsExactly(o1, o2);
        assertThat(all).doesNotContainKey(a3);
    }

    @Test
    void theFlatProjectorDampsTheOtherModalitysDirectionAndPassesUnusedOnesUnchanged() {
        Generator gen = new Generator(2);
        Sequential other = new Sequential(new Linear(2, 3, gen), new ReLU(), new Linear(3, 2, gen));
        Linear otherFirst = (Linear) other.get(0);
        // the other modality's first layer only ever sees inputs along e1 = [1, 0, ...]: here its input is 2-d
        Linear active = new Linear(2, 3, gen);
        FlatProjection fp = FlatProjection.fit(Map.of(active, List.of(otherFirst)), () -> {
            other.forward(Tensor.of(new float[] {2, 0, 4, 0}, 2, 2));
            other.forward(Tensor.of(new float[] {1, 0}, 1, 2));
        }, 0.4);
        assertThat(otherFirst.adapters()).isEmpty();   // the recorders are gone
        List<FlatProjector> ps = fp.projectorsFor(active.weight());
        assertThat(ps).hasSize(1);
        // Σ = (3² + 1²) e1 e1ᵀ: eigenvalues 10 and 0, so P = diag(e^-0.4, 1)
        assertThat(ps.get(0).covariance().toDoubleArray()).containsExactly(new double[] {10, 0, 0, 0}, within(1e-9));
        assertThat(ps.get(0).matrix().toDoubleArray()).containsExactly(new double[] {Math.exp(-0.4), 0, 0, 1}, within(1e-9));

        Parameter w = active.weight();
        w.grad(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        SGD sgd = new SGD(List.of(w), SGD.options().lr(1.0));
        sgd.addGradientTransform(fp.transform());
        Tensor before = w.data().copy();
        sgd.step();
        Tensor applied = before.sub(w.data());
        for (int row = 0; row < 3; row++) {
            assertThat(applied.get(row, 1)).isCloseTo(2 * row + 2, within(1e-5));                  // unused direction: unchanged
            assertThat(applied.get(row, 0)).isCloseTo((2 * row + 1) * Math.exp(-0.4), within(1e-5)); // used one: damped
        }
    }

    @Test
    void aTwinThatSeesNoInputIsAnError() {
        Generator gen = new Generator(3);
        Linear active = new Linear(2, 2, gen);
        Linear other = new Linear(2, 2, gen);
        assertThatThrownBy(() -> FlatProjection.fit(Map.of(active, List.of(other)), () -> { }, 0.4))
                .hasMessageContaining("saw no input");
        assertThat(other.adapters()).isEmpty();
    }
}
