package io.tutti.nn;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.GradCheck;
import io.tutti.autograd.Variable;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.tutti.nn.Fixtures.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Each layer against values worked out by hand, and through GradCheck in float64 with its parameters as inputs. */
@SuppressWarnings("try")   // scopes are opened only to be closed
class LayersTest {
    private static final double EPS = 1e-5;

    private static Tensor t(double[] values, int... shape) {
        return Tensor.of(values, shape);
    }

    private static Tensor f(float[] values, int... shape) {
        return Tensor.of(values, shape);
    }

    private static Tensor arange(int n, int... shape) {
        return Tensor.arange(n).to(DType.FLOAT32).reshape(shape);
    }

    /** GradCheck of {@code forward} with respect to {@code x} (when floating) and every parameter of {@code m}. */
    private static void gradCheck(Module m, Tensor x, Function<Variable, Variable> forward) {
        m.to(DType.FLOAT64);
        List<Variable> inputs = new ArrayList<>();
        boolean floating = x.dtype().isFloating();
        inputs.add(new Variable(floating ? x.to(DType.FLOAT64) : x, floating));
        inputs.addAll(m.parameters());
        GradCheck.of(in -> forward.apply(in.get(0))).check(inputs);
    }

    private static void gradCheck(Layer m, Tensor x) {
        gradCheck(m, x, m::forward);
    }

    // ------------------------------------------------------------------ linear and convolution

    @Test
    void linearComputesXWTransposePlusB() {
        Linear l = new Linear(2, 3, new Generator(1));
        l.weight().data().copyFrom(f(new float[] {1, 2, 3, 4, 5, 6}, 3, 2));
        l.bias().data().copyFrom(f(new float[] {0.5f, -1, 0}, 3));
        assertClose("linear", l.forward(f(new float[] {1, 1, 2, 0}, 2, 2)).data(), f(new float[] {3.5f, 6, 11, 2.5f, 5, 10}, 2, 3));
        assertClose("batched", l.forward(Tensor.ones(4, 5, 2)).data().select(0, 3).select(0, 4), f(new float[] {3.5f, 6, 11}, 3));
        assertThat(new Linear(2, 3, false, new Generator(1)).stateDict()).containsOnlyKeys("weight");
        assertThatThrownBy(() -> l.forward(Tensor.ones(2, 3))).hasMessageContaining("Linear: input of shape [2, 3] must end in 2 features");
        gradCheck(new Linear(3, 2, new Generator(2)), new Generator(3).normal(0, 1, DType.FLOAT64, 4, 3));
    }

    @Test
    void conv2dSumsItsWindowsWithStridePaddingAndGroups() {
        Conv2d c = new Conv2d(1, 1, 2, 1, 0, false, new Generator(1));
        Init.ones(c.weight().data());
        Tensor x = arange(9, 1, 1, 3, 3).add(1);   // 1..9
        assertClose("valid", c.forward(x).data(), f(new float[] {12, 16, 24, 28}, 1, 1, 2, 2));
        Conv2d padded = new Conv2d(1, 1, 2, 2, 1, true, new Generator(1));
        Init.ones(padded.weight().data());
        Init.constant(padded.bias().data(), 0.5);
        assertClose("stride 2, padding 1", padded.forward(x).data(), f(new float[] {1.5f, 5.5f, 11.5f, 28.5f}, 1, 1, 2, 2));
        Conv2d grouped = new Conv2d(4, 6, new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, 2, true, new Generator(1));
        assertThat(grouped.weight().shape()).containsExactly(6, 2, 3, 3);
        assertThat(grouped.forward(Tensor.ones(2, 4, 5, 5)).shape()).containsExactly(2, 6, 5, 5);
        gradCheck(new Conv2d(2, 2, new int[] {2, 3}, new int[] {2, 1}, new int[] {1}, new int[] {1}, 2, true, new Generator(4)),
                new Generator(5).normal(0, 1, DType.FLOAT64, 2, 2, 4, 5));
    }

    @Test
    void conv1dIsACorrelation() {
        Conv1d c = new Conv1d(1, 1, 2, 1, 0, 1, 1, false, new Generator(1));
        c.weight().data().copyFrom(f(new float[] {1, -1}, 1, 1, 2));
        assertClose("differences", c.forward(f(new float[] {1, 2, 4, 8}, 1, 1, 4)).data(), f(new float[] {-1, -2, -4}, 1, 1, 3));
        gradCheck(new Conv1d(2, 4, 3, 2, 1, 1, 2, true, new Generator(6)), new Generator(7).normal(0, 1, DType.FLOAT64, 2, 2, 7));
    }

    // ------------------------------------------------------------------ pooling

    @Test
    void poolsPickMaximaAndAverages() {
        Tensor x = arange(16, 1, 1, 4, 4);
        MaxPool2d.Pooled p = new MaxPool2d(2).forwardWithIndices(new Variable(x));
        assertClose("max", p.values().data(), f(new float[] {5, 7, 13, 15}, 1, 1, 2, 2));
        assertThat(p.indices().toIntArray()).containsExactly(5, 7, 13, 15);
        assertClose("avg", new AvgPool2d(2).forward(x).data(), f(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, 1, 1, 2, 2));
        assertClose("adaptive = global mean", new AdaptiveAvgPool2d(1).forward(x).data(), f(new float[] {7.5f}, 1, 1, 1, 1));
        assertClose("adaptive 4 -> 3 overlaps", new AdaptiveAvgPool2d(1, 3).forward(arange(4, 1, 1, 1, 4)).data(),
                f(new float[] {0.5f, 1.5f, 2.5f}, 1, 1, 1, 3));
        Tensor line = f(new float[] {1, 5, 2, 0, 3, 3}, 1, 1, 6);
        assertClose("max 1d", new MaxPool1d(2).forward(line).data(), f(new float[] {5, 2, 3}, 1, 1, 3));
        assertThat(new MaxPool1d(2).forwardWithIndices(new Variable(line)).indices().toIntArray()).containsExactly(1, 2, 4);
        assertClose("avg 1d", new AvgPool1d(3).forward(line).data(), f(new float[] {8 / 3f, 2}, 1, 1, 2));
        assertClose("avg 1d padding not counted", new AvgPool1d(2, 2, 1, false, false).forward(line).data(),
                f(new float[] {1, 3.5f, 1.5f, 3}, 1, 1, 4));

        Tensor r = new Generator(8).normal(0, 1, DType.FLOAT64, 2, 2, 5, 5);
        gradCheck(new MaxPool2d(3, 2, 1), r);
        gradCheck(new AvgPool2d(new int[] {3}, new int[] {2}, new int[] {1}, true, false), r);
        gradCheck(new AdaptiveAvgPool2d(2, 3), r);
        gradCheck(new MaxPool1d(2), r.select(3, 0));
        gradCheck(new AvgPool1d(2, 1, 1, false, true), r.select(3, 0));
    }

    // ------------------------------------------------------------------ normalisation

    @Test
    void batchNormTrainsOnBatchStatisticsAndTracksUnbiasedRunningOnes() {
        BatchNorm1d bn = new BatchNorm1d(1);
        Tensor x = f(new float[] {1, 3}, 2, 1);
        double s = Math.sqrt(1 + EPS);   // batch mean 2, biased variance 1
        assertClose("train", bn.forward(x).data(), t(new double[] {-1 / s, 1 / s}, 2, 1).to(DType.FLOAT32));
        assertThat(bn.runningMean().item()).isCloseTo(0.2, within(1e-7));          // 0.9 * 0 + 0.1 * 2
        assertThat(bn.runningVar().item()).isCloseTo(0.9 + 0.1 * 2, within(1e-6)); // unbiased variance 2
        assertThat(bn.numBatchesTracked()).isEqualTo(1);
        bn.eval();
        double e = Math.sqrt(1.1 + EPS);
        assertClose("eval uses running statistics", bn.forward(x).data(),
                t(new double[] {0.8 / e, 2.8 / e}, 2, 1).to(DType.FLOAT32));
        assertThat(bn.numBatchesTracked()).as("eval does not count").isEqualTo(1);

        BatchNorm1d cumulative = new BatchNorm1d(1, EPS, null, true, true);
        cumulative.forward(x);
        cumulative.forward(f(new float[] {5, 7}, 2, 1));
        assertThat(cumulative.runningMean().item()).as("null momentum averages the batches").isCloseTo(4, within(1e-6));

        BatchNorm2d untracked = new BatchNorm2d(2, EPS, 0.1, false, false);
        assertThat(untracked.stateDict()).isEmpty();
        untracked.eval();
        Tensor img = new Generator(9).normal(3, 2, DType.FLOAT32, 4, 2, 3, 3);
        Tensor y = untracked.forward(img).data();
        assertClose("batch statistics in eval without running ones", y.mean(new int[] {0, 2, 3}, false), Tensor.zeros(2), 1e-5, 0);

        assertThatThrownBy(() -> new BatchNorm1d(3).forward(Tensor.ones(1, 3)))
                .hasMessageContaining("expected more than 1 value per channel when training");
        assertThatThrownBy(() -> new BatchNorm2d(3).forward(Tensor.ones(2, 3))).hasMessageContaining("BatchNorm2d: expected 4-d");
        assertThatThrownBy(() -> new BatchNorm1d(3).forward(Tensor.ones(2, 4))).hasMessageContaining("has 4 channels, expected 3");

        BatchNorm2d affine = new BatchNorm2d(3);
        Generator g = new Generator(10);
        affine.weight().data().copyFrom(g.normal(1, 0.3, DType.FLOAT32, 3));
        affine.bias().data().copyFrom(g.normal(0, 0.3, DType.FLOAT32, 3));
        gradCheck(affine, g.normal(0, 1, DType.FLOAT64, 3, 3, 2, 2));
        affine.eval();
        gradCheck(affine, g.normal(0, 1, DType.FLOAT64, 2, 3, 2, 2));
    }

    @Test
    void layerNormNormalisesEachSample() {
        LayerNorm ln = new LayerNorm(3);
        double s = Math.sqrt(2.0 / 3 + EPS);
        assertClose("[1,2,3]", ln.forward(f(new float[] {1, 2, 3}, 1, 3)).data(), t(new double[] {-1 / s, 0, 1 / s}, 1, 3).to(DType.FLOAT32));
        assertThat(new LayerNorm(new int[] {2, 3}, 1e-5, false).stateDict()).isEmpty();
        LayerNorm ln2 = new LayerNorm(2, 3);
        Generator g = new Generator(11);
        ln2.weight().data().copyFrom(g.normal(1, 0.3, DType.FLOAT32, 2, 3));
        ln2.bias().data().copyFrom(g.normal(0, 0.3, DType.FLOAT32, 2, 3));
        gradCheck(ln2, g.normal(0, 1, DType.FLOAT64, 2, 2, 3));
    }

    // ------------------------------------------------------------------ dropout, embedding, shapes, activations

    @Test
    void dropoutScalesKeptElementsInTrainingAndIsTheIdentityInEvaluation() {
        Dropout d = new Dropout(0.5, new Generator(12));
        Variable x = new Variable(Tensor.ones(100, 100), true);
        Variable y = d.forward(x);
        double[] v = y.data().toDoubleArray();
        long kept = java.util.Arrays.stream(v).filter(e -> e != 0).count();
        assertThat(java.util.Arrays.stream(v).allMatch(e -> e == 0 || e == 2)).isTrue();
        assertThat(kept).isBetween(4700L, 5300L);
        y.sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(v);   // the gradient is the mask
        Tensor again = new Dropout(0.5, new Generator(12)).forward(Tensor.ones(100, 100)).data();
        assertThat(again.toDoubleArray()).as("same seed, same mask").containsExactly(v);
        d.eval();
        assertThat(d.forward(x)).isSameAs(x);
    }

    @Test
    void embeddingLooksUpRowsAndItsPaddingRowNeverLearns() {
        Embedding e = new Embedding(4, 2, 0, new Generator(13));
        assertThat(e.weight().data().select(0, 0).toDoubleArray()).containsExactly(0, 0);
        e.weight().data().copyFrom(f(new float[] {0, 0, 1, 2, 3, 4, 5, 6}, 4, 2));
        Tensor idx = Tensor.of(new int[] {2, 0, 2, 3}, 2, 2);
        assertClose("lookup", e.forward(idx).data(), f(new float[] {3, 4, 0, 0, 3, 4, 5, 6}, 2, 2, 2));
        e.forward(idx).sum().backward();
        assertThat(e.weight().grad().toDoubleArray()).containsExactly(0, 0, 0, 0, 2, 2, 1, 1);
        assertThat(new Embedding(50, 40, new Generator(1)).weight().data().std(null, 1, false).item()).isCloseTo(1, within(0.05));
        gradCheck(new Embedding(5, 3, new Generator(14)), Tensor.of(new int[] {4, 1, 1, 0}, 2, 2));
    }

    @Test
    void flattenAndActivationsHavePyTorchsValues() {
        assertThat(new Flatten().forward(Tensor.zeros(2, 3, 4)).shape()).containsExactly(2, 12);
        assertThat(new Flatten(0, 1).forward(Tensor.zeros(2, 3, 4)).shape()).containsExactly(6, 4);
        Tensor x = t(new double[] {-1, 0, 1}, 3);
        assertClose("relu", new ReLU().forward(x).data(), t(new double[] {0, 0, 1}, 3));
        assertClose("gelu", new GELU().forward(x).data(), t(new double[] {-0.15865525393145707, 0, 0.8413447460685429}, 3), 1e-12, 0);
        assertClose("gelu tanh", new GELU(GELU.Approximation.TANH).forward(x).data(),
                t(new double[] {-0.15880800939172324, 0, 0.8411919906082768}, 3), 1e-12, 0);
        assertClose("silu", new SiLU().forward(x).data(), t(new double[] {-0.2689414213699951, 0, 0.7310585786300049}, 3), 1e-12, 0);
        assertClose("tanh", new Tanh().forward(x).data(), t(new double[] {-Math.tanh(1), 0, Math.tanh(1)}, 3), 1e-12, 0);
        assertClose("sigmoid", new Sigmoid().forward(x).data(), t(new double[] {0.2689414213699951, 0.5, 0.7310585786300049}, 3),
                1e-12, 0);
        assertThat(new Identity().forward(new Variable(x)).data()).isSameAs(x);
    }

    // ------------------------------------------------------------------ attention and transformer

    @Test
    void attentionIgnoresPaddedKeysAndItsWeightsAreDistributions() {
        MultiheadAttention mha = new MultiheadAttention(8, 2, new Generator(15));
        assertThat(mha.stateDict().keySet()).containsExactly("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias");
        Generator g = new Generator(16);
        Variable q = new Variable(g.randn(2, 3, 8));
        Variable kv = new Variable(g.randn(2, 4, 8));
        Tensor pad = Tensor.of(new int[] {0, 0, 1, 1, 0, 0, 0, 1}, 2, 4);
        MultiheadAttention.Result r = mha.forward(q, kv, kv, pad, null, true);
        assertThat(r.output().shape()).containsExactly(2, 3, 8);
        Tensor w = r.weights().data();
        assertThat(w.shape()).containsExactly(2, 3, 4);
        assertClose("rows sum to 1", w.sum(2, false), Tensor.ones(2, 3));
        assertThat(w.select(0, 0).select(1, 2).toDoubleArray()).containsOnly(0.0);
        assertThat(w.select(1, 1).select(1, 3).toDoubleArray()).containsOnly(0.0);
        // Changing a padded key changes nothing.
        Tensor kv2 = kv.data().copy();
        kv2.select(0, 0).select(0, 3).fillInPlace(100);
        assertClose("padded key ignored", mha.forward(q, new Variable(kv2), new Variable(kv2), pad, null, false).output().data(),
                r.output().data());
        // A causal int32 mask: query 0 sees key 0 only.
        Tensor causal = Tensor.of(new int[] {0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1}, 3, 4);
        Tensor cw = mha.forward(q, kv, kv, null, causal, true).weights().data();
        assertThat(cw.select(0, 0).select(0, 0).select(0, 0).item()).isCloseTo(1, within(1e-6));
        assertThatThrownBy(() -> mha.forward(q, kv, kv, Tensor.zeros(DType.INT32, 2, 3), null, false))
                .hasMessageContaining("key padding mask of shape [2, 3] must be [2, 4]");
        assertThatThrownBy(() -> new MultiheadAttention(6, 4, new Generator(1))).hasMessageContaining("divisible");

        MultiheadAttention small = new MultiheadAttention(4, 2, new Generator(17));
        Tensor x = new Generator(18).normal(0, 1, DType.FLOAT64, 2, 3, 4);
        Tensor mask = Tensor.of(new int[] {0, 0, 1, 0, 0, 0}, 2, 3);
        gradCheck(small, x, in -> small.forward(in, in, in, mask, null, false).output());
    }

    @Test
    void selfAttentionsSingleStackedProjectionMatchesThreeSeparateOnes() {
        MultiheadAttention mha = new MultiheadAttention(8, 2, new Generator(21));
        Tensor data = new Generator(22).randn(2, 5, 8);
        // The same Variable as query, key and value takes the one-product path.
        Variable x = new Variable(data, true);
        Variable stacked = mha.forward(x, x, x);
        stacked.sum().backward();
        Tensor stackedGradX = x.grad().copy();
        Tensor stackedGradW = mha.inProjWeight().grad().copy();
        Tensor stackedGradB = mha.inProjBias().grad().copy();
        mha.zeroGrad();
        // Three distinct Variables with the same values take the three-product path.
        Variable y = new Variable(data, true);
        Variable separate = mha.forward(y, y.mul(1.0), y.mul(1.0));
        separate.sum().backward();
        assertClose("output", stacked.data(), separate.data());
        assertClose("input gradient", stackedGradX, y.grad());
        assertClose("projection weight gradient", stackedGradW, mha.inProjWeight().grad());
        assertClose("projection bias gradient", stackedGradB, mha.inProjBias().grad());
    }

    @Test
    void transformerEncoderLayerHasPyTorchsNamesAndDropsOutOnlyInTraining() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, new Generator(19));
        assertThat(layer.stateDict().keySet()).containsExactly("self_attn.in_proj_weight", "self_attn.in_proj_bias",
                "self_attn.out_proj.weight", "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight",
                "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias");
        assertThat(layer.namedModules().keySet()).contains("dropout", "dropout1", "dropout2");
        Tensor x = new Generator(20).randn(2, 5, 8);
        Tensor a = layer.forward(x).data();
        Tensor b = layer.forward(x).data();
        assertThat(a.sub(b).abs().max().item()).as("dropout in training").isGreaterThan(1e-3);
        layer.eval();
        assertThat(layer.forward(x).data().toDoubleArray()).containsExactly(layer.forward(x).data().toDoubleArray());

        for (boolean normFirst : new boolean[] {false, true}) {
            TransformerEncoderLayer small = new TransformerEncoderLayer(4, 2, 6, 0, TransformerEncoderLayer.Activation.GELU, 1e-5,
                    normFirst, new Generator(21));
            gradCheck(small, new Generator(22).normal(0, 1, DType.FLOAT64, 2, 3, 4));
        }
    }

    // ------------------------------------------------------------------ models

    @Test
    void resnetHasTorchvisionsNamesShapesAndParameterCount() {
        ResNet tiny = ResNet.resnet18(1, 2, 3, new Generator(23));
        assertThat(tiny.stateDict().keySet()).startsWith("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean",
                "bn1.running_var", "bn1.num_batches_tracked", "layer1.0.conv1.weight");
        assertThat(tiny.stateDict()).containsKeys("layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_var", "fc.bias")
                .doesNotContainKey("layer1.0.downsample.0.weight");
        Tensor x = new Generator(24).randn(2, 1, 32, 32);
        assertThat(tiny.forward(x).shape()).containsExactly(2, 3);
        assertThat(tiny.featureMap(new Variable(x)).shape()).containsExactly(2, 16, 1, 1);
        ResNet encoder = ResNet.resnet18(3, 2, 0, new Generator(25));
        assertThat(encoder.fc()).isNull();
        assertThat(encoder.forward(new Generator(26).randn(2, 3, 24, 24)).shape()).containsExactly(2, encoder.featureDim());
        // torchvision's resnet18() (3 channels, width 64, 1000 classes) has 11,689,512 parameters.
        ResNet full = ResNet.resnet18(3, 64, 1000, new Generator(27));
        assertThat(full.parameterCount(false)).isEqualTo(11_689_512L);
        // Kaiming-normal (fan out, ReLU) convolutions: std sqrt(2 / (64 * 9)) in layer1.
        double std = full.stateDict().get("layer1.0.conv1.weight").std(null, 1, false).item();
        assertThat(std).isCloseTo(Math.sqrt(2.0 / (64 * 9)), within(0.002));

        ResNet gradTiny = ResNet.resnet18(1, 1, 2, new Generator(28));
        gradTiny.to(DType.FLOAT64);
        List<Variable> inputs = new ArrayList<>();
        inputs.add(new Variable(new Generator(29).normal(0, 1, DType.FLOAT64, 2, 1, 16, 16), true));
        inputs.addAll(gradTiny.parameters());
        GradCheck.of(in -> gradTiny.forward(in.get(0))).fastMode(true).check(inputs);
    }

    @Test
    void basicBlockAddsItsShortcut() {
        BasicBlock same = new BasicBlock(2, 2, 1, new Generator(30));
        assertThat(same.downsample()).isNull();
        BasicBlock down = new BasicBlock(2, 4, 2, new Generator(31));
        assertThat(down.downsample()).isNotNull();
        assertThat(down.forward(Tensor.ones(2, 2, 6, 6)).shape()).containsExactly(2, 4, 3, 3);
        // With the residual branch's last batch norm scaled to zero, the block is relu(x).
        Init.zeros(((BatchNorm2d) same.namedModules().get("bn2")).weight().data());
        same.eval();
        Tensor x = new Generator(32).randn(1, 2, 4, 4);
        assertClose("zero residual", same.forward(x).data(), x.relu());
        same.train();
        gradCheck(new BasicBlock(2, 3, 2, new Generator(33)), new Generator(34).normal(0, 1, DType.FLOAT64, 2, 2, 4, 4));
    }

    @Test
    void mlpBuilderNumbersItsLayersAsPyTorch() {
        Sequential m = Mlp.of(new Generator(35), ReLU::new, 0.1, 4, 8, 8, 2);
        assertThat(m.stateDict().keySet()).containsExactly("0.weight", "0.bias", "3.weight", "3.bias", "6.weight", "6.bias");
        assertThat(m.get(2)).isInstanceOf(Dropout.class);
        assertThat(m.forward(Tensor.ones(5, 4)).shape()).containsExactly(5, 2);
        assertThatThrownBy(() -> Mlp.of(new Generator(1), ReLU::new, 4)).hasMessageContaining("at least an input and an output");
    }

    // ------------------------------------------------------------------ initialisation

    @Test
    void initialisersFollowTorchNnInitsFormulas() {
        assertThat(Init.gain(Init.Nonlinearity.RELU, 0)).isEqualTo(Math.sqrt(2));
        assertThat(Init.gain(Init.Nonlinearity.TANH, 0)).isEqualTo(5.0 / 3);
        assertThat(Init.gain(Init.Nonlinearity.LEAKY_RELU, Math.sqrt(5))).isCloseTo(Math.sqrt(1.0 / 3), within(1e-15));
        assertThat(Init.fans(Tensor.zeros(6, 4, 3, 3))).containsExactly(36, 54);

        Tensor w = Tensor.zeros(200, 300);
        Generator g = new Generator(36);
        double bound = 1 / Math.sqrt(300);   // PyTorch's default for Linear(300, 200)
        Init.kaimingUniform(w, Math.sqrt(5), Init.FanMode.FAN_IN, Init.Nonlinearity.LEAKY_RELU, g);
        assertThat(w.abs().max().item()).isLessThanOrEqualTo(bound).isGreaterThan(0.99 * bound);
        Linear linear = new Linear(300, 200, new Generator(37));
        assertThat(linear.weight().data().abs().max().item()).isLessThanOrEqualTo(bound).isGreaterThan(0.99 * bound);
        assertThat(linear.bias().data().abs().max().item()).isLessThanOrEqualTo(bound).isGreaterThan(0.9 * bound);

        Init.kaimingNormal(w, 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, g);
        assertThat(w.std(null, 1, false).item()).isCloseTo(Math.sqrt(2.0 / 200), within(0.002));
        Init.xavierUniform(w, 1, g);
        assertThat(w.abs().max().item()).isLessThanOrEqualTo(Math.sqrt(6.0 / 500)).isGreaterThan(0.99 * Math.sqrt(6.0 / 500));
        Init.xavierNormal(w, 2, g);
        assertThat(w.std(null, 1, false).item()).isCloseTo(2 * Math.sqrt(2.0 / 500), within(0.003));
        Init.normal(w, 3, 0.5, g);
        assertThat(w.mean().item()).isCloseTo(3, within(0.01));
        Init.uniform(w, -2, -1, g);
        assertThat(w.max().item()).isLessThan(-1);
        assertThat(Init.constant(w, 0.25).min().item()).isEqualTo(0.25);
        assertThat(Init.zeros(w).abs().max().item()).isEqualTo(0);

        // A model is a pure function of its seed.
        assertThat(new Linear(3, 2, new Generator(5)).weight().data().toDoubleArray())
                .containsExactly(new Linear(3, 2, new Generator(5)).weight().data().toDoubleArray());
        assertThatThrownBy(() -> Init.kaimingUniform(Tensor.zeros(3), 0, Init.FanMode.FAN_IN, Init.Nonlinearity.RELU, g))
                .hasMessageContaining("at least 2 dimensions");
    }

    @Test
    void noGradEvaluationRecordsNothing() {
        Linear l = new Linear(2, 2, new Generator(38));
        try (var ng = Autograd.noGrad()) {
            assertThat(l.forward(Tensor.ones(1, 2)).requiresGrad()).isFalse();
        }
        assertThat(l.forward(Tensor.ones(1, 2)).requiresGrad()).isTrue();
    }
}
