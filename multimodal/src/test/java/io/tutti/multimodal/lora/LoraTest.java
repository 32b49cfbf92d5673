package io.tutti.multimodal.lora;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.GradCheck;
import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.Conv2dFn;
import io.tutti.nn.Conv2d;
import io.tutti.nn.Flatten;
import io.tutti.nn.Linear;
import io.tutti.nn.Module;
import io.tutti.nn.ReLU;
import io.tutti.nn.ResNet;
import io.tutti.nn.Sequential;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LoraTest {
    private static final LoraConfig R2 = LoraConfig.defaults().withRank(2).withAlpha(4);   // scale 2

    private static void assertClose(Tensor actual, Tensor expected, double tol) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("element %d", i).isCloseTo(e[i], within(tol));
        }
    }

    @Test
    void freshLinearAdapterChangesNothingAndTheUpdateIsScaledBA() {
        Generator gen = new Generator(1);
        Linear layer = new Linear(3, 2, gen);
        Tensor x = Tensor.of(new float[] {1, -2, 0.5f, 3, 0, -1}, 2, 3);
        Tensor before = layer.forward(x).data().copy();
        LoraLinear lora = Lora.adapt(layer, R2, gen);
        assertThat(layer.forward(x).data().toFloatArray()).containsExactly(before.toFloatArray());

        // with B = [[1, 0], [0, 1]] and A = [[1, 0, 0], [0, 1, 1]]: B A x = [x0, x1 + x2]
        lora.a().data().copyFrom(Tensor.of(new float[] {1, 0, 0, 0, 1, 1}, 2, 3));
        lora.b().data().copyFrom(Tensor.of(new float[] {1, 0, 0, 1}, 2, 2));
        Tensor expected = before.add(Tensor.of(new float[] {1, -1.5f, 3, -1}, 2, 2).mul(2.0));
        assertClose(layer.forward(x).data(), expected, 1e-6);
    }

    @Test
    void mergedLinearEqualsUnmergedAndUnmergeRestoresTheWeightExactly() {
        Generator gen = new Generator(2);
        Linear layer = new Linear(5, 4, gen);
        layer.to(DType.FLOAT64);
        LoraLinear lora = Lora.adapt(layer, R2, gen);
        lora.b().data().copyFrom(new Generator(3).randn(4, 2));
        Tensor w0 = layer.weight().data().copy();
        Tensor x = new Generator(4).normal(0, 1, DType.FLOAT64, 6, 5);

        Tensor unmerged = layer.forward(x).data().copy();
        lora.merge();
        assertThat(lora.isMerged()).isTrue();
        Tensor merged = layer.forward(x).data().copy();
        assertClose(merged, unmerged, 1e-12);
        assertClose(layer.weight().data(), w0.add(lora.b().data().matmul(lora.a().data()).mul(2.0)), 1e-12);

        lora.unmerge();
        assertThat(layer.weight().data().toDoubleArray()).containsExactly(w0.toDoubleArray());
        assertThat(layer.forward(x).data().toDoubleArray()).containsExactly(unmerged.toDoubleArray());
        assertThatThrownBy(lora::unmerge).hasMessageContaining("not merged");
    }

    @Test
    void convLoraIsALinearMapOnPatchesAndMergesExactly() {
        Generator gen = new Generator(5);
        Conv2d conv = new Conv2d(3, 4, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, 1, true, gen);
        conv.to(DType.FLOAT64);
        LoraConv2d lora = Lora.adapt(conv, LoraConfig.defaults().withRank(3).withAlpha(1.5), gen);
        assertThat(lora.a().data().shape()).containsExactly(3, 3 * 3 * 3);
        assertThat(lora.b().data().shape()).containsExactly(4, 3);
        lora.b().data().copyFrom(new Generator(6).randn(4, 3));
        Tensor x = new Generator(7).normal(0, 1, DType.FLOAT64, 2, 3, 7, 6);

        // the definition: one convolution with W₀ + (α/r)·(B A) reshaped to the kernel
        Tensor delta = lora.b().data().matmul(lora.a().data()).mul(0.5).reshape(4, 3, 3, 3);
        Tensor expected = Conv2dFn.conv2d(new Variable(x), new Variable(conv.weight().data().add(delta)),
                conv.bias(), new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 1).data();
        Tensor unmerged = conv.forward(x).data().copy();
        assertClose(unmerged, expected, 1e-12);
        assertClose(lora.deltaWeight(), delta, 0);

        Tensor w0 = conv.weight().data().copy();
        lora.merge();
        assertClose(conv.forward(x).data(), unmerged, 1e-12);
        lora.unmerge();
        assertThat(conv.weight().data().toDoubleArray()).containsExactly(w0.toDoubleArray());
    }

    @Test
    void gradientsOfAAndBPassGradCheck() {
        Generator gen = new Generator(8);
        Linear linear = new Linear(4, 3, gen);
        linear.to(DType.FLOAT64);
        LoraLinear l = Lora.adapt(linear, R2, gen);
        l.b().data().copyFrom(new Generator(9).normal(0, 1, DType.FLOAT64, 3, 2));
        Variable x = new Variable(new Generator(10).normal(0, 1, DType.FLOAT64, 5, 4));
        GradCheck.check(in -> linear.forward(in.get(0)).tanh().sum(), x, l.a(), l.b());

        Conv2d conv = new Conv2d(2, 3, new int[] {3}, new int[] {1}, new int[] {1}, new int[] {2}, 1, false, gen);
        conv.to(DType.FLOAT64);
        LoraConv2d c = Lora.adapt(conv, R2, gen);
        c.b().data().copyFrom(new Generator(11).normal(0, 1, DType.FLOAT64, 3, 2));
        Variable img = new Variable(new Generator(12).normal(0, 1, DType.FLOAT64, 1, 2, 5, 5));
        GradCheck.check(in -> conv.forward(in.get(0)).tanh().sum(), img, c.a(), c.b());
    }

    @Test
    void dropoutActsOnlyOnTheLowRankPath() {
        Generator gen = new Generator(13);
        Linear layer = new Linear(6, 3, gen);
        Tensor x = new Generator(14).randn(4, 6);
        Tensor plain = layer.forward(x).data().copy();
        LoraLinear lora = Lora.adapt(layer, R2.withDropout(0.5), gen);
        layer.train();
        // B = 0: whatever dropout does to the low-rank input, the output is the frozen layer's
        assertThat(layer.forward(x).data().toFloatArray()).containsExactly(plain.toFloatArray());
        lora.b().data().copyFrom(new Generator(15).randn(3, 2));
        Tensor trained = layer.forward(x).data().copy();
        layer.eval();
        Tensor evaluated = layer.forward(x).data().copy();
        Tensor noDropout = plain.add(x.matmul(lora.a().data().t()).matmul(lora.b().data().t()).mul(2.0));
        assertClose(evaluated, noDropout, 1e-5);
        assertThat(trained.sub(evaluated).abs().max().item()).isGreaterThan(1e-3);
    }

    @Test
    void gaussianInitUsesStdOneOverRank() {
        Linear layer = new Linear(400, 2, new Generator(16));
        LoraLinear lora = Lora.adapt(layer, LoraConfig.defaults().withRank(4).withInit(LoraInit.GAUSSIAN), new Generator(17));
        double std = lora.a().data().std(new int[] {0, 1}, 1, false).item();
        assertThat(std).isCloseTo(0.25, within(0.02));
        assertThat(lora.b().data().abs().max().item()).isZero();

        LoraLinear kaiming = Lora.adapt(new Linear(400, 2, new Generator(18)), LoraConfig.defaults(), new Generator(19));
        assertThat(kaiming.a().data().abs().max().item()).isLessThanOrEqualTo(1 / Math.sqrt(400)).isGreaterThan(0.04);
    }

    /** conv -> relu -> linear, named "0", "1", "2", plus a nested block. */
    private static Sequential smallNet(Generator gen) {
        Map<String, io.tutti.nn.Layer> named = new LinkedHashMap<>();
        named.put("conv", new Conv2d(1, 2, 3, gen));
        named.put("act", new ReLU());
        named.put("flat", new Flatten());
        named.put("head", new Sequential(new Linear(8, 4, gen), new ReLU(), new Linear(4, 3, gen)));
        return new Sequential(named);
    }

    @Test
    void injectorAdaptsMatchingLayersFreezesTheRestAndKeepsKeysLoadable() {
        Generator gen = new Generator(20);
        Sequential net = smallNet(gen);
        LinkedHashMap<String, Tensor> before = new LinkedHashMap<>();
        net.stateDict().forEach((k, v) -> before.put(k, v.copy()));

        LoraInjection inj = Lora.inject(net, R2.withTargets(List.of("head.*")), gen);
        assertThat(inj.adapters().keySet()).containsExactly("head.0", "head.2");
        assertThat(net.stateDict().keySet()).containsExactly("conv.weight", "conv.bias", "head.0.weight", "head.0.bias",
                "head.0.lora.A", "head.0.lora.B", "head.2.weight", "head.2.bias", "head.2.lora.A", "head.2.lora.B");
        long loraCount = 2 * (8 + 4) + 2 * (4 + 3);
        assertThat(Lora.trainableParameterCount(net)).isEqualTo(loraCount);
        assertThat(inj.trainableParameterCount()).isEqualTo(loraCount);
        assertThat(inj.parameters()).hasSize(4).allMatch(p -> p.requiresGrad());
        assertThat(net.namedParameters().get("conv.weight").requiresGrad()).isFalse();
        assertThat(net.namedParameters().get("head.0.bias").requiresGrad()).isFalse();
        assertThat(inj.summary()).contains("2 layers").contains("38 trainable");

        // a checkpoint from before injection loads; only the LoRA keys are missing
        Module.LoadResult r = net.loadStateDict(before, false);
        assertThat(r.missingKeys()).containsExactly("head.0.lora.A", "head.0.lora.B", "head.2.lora.A", "head.2.lora.B");
        assertThat(r.unexpectedKeys()).isEmpty();

        // only LoRA parameters receive gradients
        Tensor x = new Generator(21).randn(2, 1, 4, 4);
        net.forward(x).sum().backward();
        assertThat(net.namedParameters().get("head.0.weight").grad()).isNull();
        assertThat(inj.adapters().get("head.0").a().grad()).isNotNull();
    }

    @Test
    void injectorWorksOnAResNetByGlobAndRegex() {
        Generator gen = new Generator(22);
        ResNet net = ResNet.resnet18(1, 4, 0, gen);
        LoraInjection byGlob = Lora.inject(net, R2.withTargets(List.of("layer4.*.conv?")), gen);
        assertThat(byGlob.adapters().keySet()).containsExactly("layer4.0.conv1", "layer4.0.conv2", "layer4.1.conv1",
                "layer4.1.conv2");
        Tensor x = new Generator(23).randn(2, 1, 16, 16);
        net.eval();
        Tensor adapted = net.forward(x).data().copy();

        ResNet same = ResNet.resnet18(1, 4, 0, new Generator(22));
        same.eval();
        assertThat(adapted.toFloatArray()).containsExactly(same.forward(x).data().toFloatArray());

        ResNet other = ResNet.resnet18(1, 4, 0, new Generator(24));
        LoraInjection byRegex = Lora.inject(other, R2.withTargets(List.of("re:layer[12]\\.0\\.conv1", "**.downsample.0")), gen);
        assertThat(byRegex.adapters().keySet()).containsExactly("layer1.0.conv1", "layer2.0.conv1", "layer2.0.downsample.0",
                "layer3.0.downsample.0", "layer4.0.downsample.0");
    }

    @Test
    void injectorErrorsNameTheProblem() {
        Generator gen = new Generator(25);
        assertThatThrownBy(() -> Lora.inject(smallNet(gen), R2.withTargets(List.of("nothing*")), gen))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no linear or convolution layer matches [nothing*]")
                .hasMessageContaining("[conv, head.0, head.2]");
        Sequential net = smallNet(gen);
        Lora.inject(net, R2.withTargets(List.of("conv")), gen);
        assertThatThrownBy(() -> Lora.inject(net, R2.withTargets(List.of("conv")), gen)).hasMessageContaining("already has");
        Conv2d grouped = new Conv2d(4, 4, new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, 2, false, gen);
        assertThatThrownBy(() -> Lora.adapt(grouped, R2, gen)).hasMessageContaining("grouped");
        assertThatThrownBy(() -> ModulePattern.of("re:(")).hasMessageContaining("invalid pattern");
        assertThatThrownBy(() -> R2.withRank(0)).hasMessageContaining("rank");
    }

    @Test
    void globsMatchWithinAndAcrossNameParts() {
        assertThat(ModulePattern.of("layer*.conv1").matches("layer1.conv1")).isTrue();
        assertThat(ModulePattern.of("layer*.conv1").matches("layer1.0.conv1")).isFalse();
        assertThat(ModulePattern.of("**.conv1").matches("layer1.0.conv1")).isTrue();
        assertThat(ModulePattern.of("**.conv1").matches("conv1")).isTrue();
        assertThat(ModulePattern.of("**").matches("a.b.c")).isTrue();
        assertThat(ModulePattern.of("conv?").matches("conv12")).isFalse();
        assertThat(ModulePattern.of("fc").matches("fcx")).isFalse();
        assertThat(ModulePattern.of("a.b").matches("aXb")).isFalse();
    }

    @Test
    void mergeAllLeavesTheModelOutputUnchanged() {
        Generator gen = new Generator(26);
        Sequential net = smallNet(gen);
        net.to(DType.FLOAT64);
        LoraInjection inj = Lora.inject(net, R2, gen);
        assertThat(inj.adapters()).hasSize(3);
        try (var ignored = Autograd.noGrad()) {
            inj.adapters().values().forEach(a -> a.b().data().copyFrom(new Generator(27).normal(0, 0.5, DType.FLOAT64,
                    a.b().data().shape())));
        }
        Tensor x = new Generator(28).normal(0, 1, DType.FLOAT64, 3, 1, 4, 4);
        Tensor unmerged = net.forward(x).data().copy();
        inj.merge();
        assertClose(net.forward(x).data(), unmerged, 1e-12);
        inj.unmerge();
        assertThat(net.forward(x).data().toDoubleArray()).containsExactly(unmerged.toDoubleArray());
    }
}
