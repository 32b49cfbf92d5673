package io.tutti.optim;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.HookHandle;
import io.tutti.nn.Parameter;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.tutti.optim.Params.f64;
import static io.tutti.optim.Params.grad;
import static io.tutti.optim.Params.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The optimizer base: groups, skipping, in-place updates, gradient transforms and state dicts. */
class OptimizerTest {

    @Test
    void groupsKeepTheirOwnOptionsAndTakeTheRestFromTheDefaults() {
        Parameter a = f64(1);
        Parameter b = f64(1);
        SGD sgd = new SGD(List.of(ParamGroup.of(a).lr(0.5), ParamGroup.of(b)), SGD.options().lr(0.1).momentum(0.9));
        assertThat(sgd.paramGroups().get(0).lr()).isEqualTo(0.5);
        assertThat(sgd.paramGroups().get(1).lr()).isEqualTo(0.1);
        assertThat(sgd.paramGroups().get(0).momentum()).isEqualTo(0.9);
        grad(a, 1);
        grad(b, 1);
        sgd.step();
        assertThat(values(a)).containsExactly(0.5);
        assertThat(values(b)).containsExactly(0.9);
        assertThat(sgd.parameters()).containsExactly(a, b);
    }

    @Test
    void aParameterMayBelongToOneGroupOnly() {
        Parameter a = f64(1);
        assertThatThrownBy(() -> new SGD(List.of(ParamGroup.of(a), ParamGroup.of(a)), SGD.options()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one parameter group");
        assertThatThrownBy(() -> new SGD(List.of(a, a), SGD.options()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void parametersWithoutGradientsAreSkippedAndKeepTheirState() {
        Parameter a = f64(1);
        Parameter b = f64(2);
        Adam adam = new Adam(List.of(a, b), Adam.options().lr(0.1));
        grad(a, 1);
        adam.step();
        assertThat(values(b)).containsExactly(2.0);
        assertThat(adam.state(b).isEmpty()).isTrue();
        assertThat(adam.state(a).scalar("step", 0)).isEqualTo(1.0);
        adam.zeroGrad();
        assertThat(a.grad()).isNull();
        adam.step();   // nothing has a gradient: nothing moves, no step is counted
        assertThat(adam.state(a).scalar("step", 0)).isEqualTo(1.0);
    }

    @Test
    void updatesAreInPlaceSoViewsSeeThem() {
        Parameter w = new Parameter(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2));
        Tensor row = w.data().select(0, 1);
        Tensor storageBefore = w.data();
        SGD sgd = new SGD(List.of(w), SGD.options().lr(1));
        w.grad(Tensor.of(new double[] {0, 0, 1, 1}, 2, 2));
        sgd.step();
        assertThat(w.data()).isSameAs(storageBefore);
        assertThat(row.toDoubleArray()).containsExactly(2.0, 3.0);
    }

    @Test
    void gradientTransformsRunBeforeTheUpdateInOrderWithoutRecording() {
        Parameter w = f64(0, 0);
        SGD sgd = new SGD(List.of(w), SGD.options().lr(1));
        List<String> calls = new ArrayList<>();
        sgd.addGradientTransform(params -> {
            calls.add("double, grad enabled: " + Autograd.isGradEnabled());
            params.get(0).grad(params.get(0).grad().mul(2));
        });
        HookHandle second = sgd.addGradientTransform(GradientTransform.perParameter((p, g) -> {
            calls.add("negate second element");
            return g.mul(Tensor.of(new double[] {1, -1}, 2));
        }));
        grad(w, 1, 1);
        sgd.step();
        assertThat(calls).containsExactly("double, grad enabled: false", "negate second element");
        assertThat(values(w)).containsExactly(-2.0, 2.0);

        second.remove();
        grad(w, 1, 1);
        sgd.step();
        assertThat(values(w)).containsExactly(-4.0, 0.0);
    }

    @Test
    void clippingAsATransform() {
        Parameter w = f64(0, 0);
        SGD sgd = new SGD(List.of(w), SGD.options().lr(1));
        sgd.addGradientTransform(GradientTransform.clipNorm(1.0));
        grad(w, 3, 4);
        sgd.step();
        assertThat(values(w)[0]).isCloseTo(-0.6, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(values(w)[1]).isCloseTo(-0.8, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    @SuppressWarnings("try")   // the scope is opened only to be closed
    void stepWithClosureEvaluatesWithGradientsEnabled() {
        Parameter w = f64(3);
        SGD sgd = new SGD(List.of(w), SGD.options().lr(0.25));
        double loss;
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            loss = sgd.step(() -> {
                sgd.zeroGrad();
                var l = w.square().sum();
                l.backward();
                return l.item();
            });
        }
        assertThat(loss).isEqualTo(9.0);
        assertThat(values(w)).containsExactly(1.5);   // 3 - 0.25 · 6
    }

    @Test
    void stateDictNumbersParametersAcrossGroupsLikePyTorch() {
        Parameter a = f64(1);
        Parameter b = f64(1, 2);
        Parameter c = f64(3);
        SGD sgd = new SGD(List.of(ParamGroup.of(a, b).lr(0.5), ParamGroup.of(c)), SGD.options().lr(0.1).momentum(0.9));
        grad(b, 1, 1);
        grad(c, 2);
        sgd.step();
        StateDict sd = sgd.stateDict();
        assertThat(sd.tensors().keySet()).containsExactly("state.1.momentum_buffer", "state.2.momentum_buffer");
        assertThat(sd.getString("param_groups.0.params")).isEqualTo("[0, 1]");
        assertThat(sd.getString("param_groups.1.params")).isEqualTo("[2]");
        assertThat(sd.getDouble("param_groups.0.lr")).isEqualTo(0.5);
        assertThat(sd.getBoolean("param_groups.1.nesterov")).isFalse();
        assertThat(sd.getString("optimizer")).isEqualTo("SGD");
    }

    @Test
    void stateDictRoundTripsThroughAFileAndContinuesIdentically(@TempDir Path dir) throws Exception {
        Parameter a = f64(1, -1);
        Parameter b = f64(0.5);
        Adam adam = new Adam(List.of(ParamGroup.of(a), ParamGroup.of(b).lr(0.05).betas(0.8, 0.99)),
                Adam.options().lr(0.1).amsgrad(true));
        grad(a, 0.3, -0.7);
        grad(b, 2);
        adam.step();
        adam.zeroGrad();
        grad(a, -0.1, 0.2);
        adam.step();   // b has no gradient in this step
        Path file = dir.resolve("adam.safetensors");
        adam.stateDict().save(file);

        Parameter a2 = new Parameter(a.data().copy());
        Parameter b2 = new Parameter(b.data().copy());
        Adam resumed = new Adam(List.of(ParamGroup.of(a2), ParamGroup.of(b2)), Adam.options());
        resumed.loadStateDict(StateDict.load(file));
        assertThat(resumed.paramGroups().get(1).lr()).isEqualTo(0.05);
        assertThat(resumed.paramGroups().get(1).getDoubles(ParamGroup.BETAS)).containsExactly(0.8, 0.99);
        assertThat(resumed.paramGroups().get(0).getBoolean(ParamGroup.AMSGRAD)).isTrue();
        assertThat(resumed.state(a2).scalar("step", 0)).isEqualTo(2.0);
        assertThat(resumed.state(b2).scalar("step", 0)).isEqualTo(1.0);

        grad(a, 0.4, -0.2);
        grad(a2, 0.4, -0.2);
        grad(b, 0.4);
        grad(b2, 0.4);
        adam.step();
        resumed.step();
        assertThat(values(a2)).containsExactly(values(a));
        assertThat(values(b2)).containsExactly(values(b));
        // the loaded state is a copy, not the file's tensors or the other optimizer's
        assertThat(resumed.state(a2).tensor("exp_avg")).isNotSameAs(adam.state(a).tensor("exp_avg"));
    }

    @Test
    void loadingChecksKindGroupingAndShapes() {
        Parameter a = f64(1);
        Parameter b = f64(1, 2);
        SGD sgd = new SGD(List.of(a, b), SGD.options().momentum(0.9));
        grad(a, 1);
        grad(b, 1, 1);
        sgd.step();
        StateDict sd = sgd.stateDict();

        Adam adam = new Adam(List.of(f64(1), f64(1, 2)), Adam.options());
        assertThatThrownBy(() -> adam.loadStateDict(sd)).hasMessageContaining("saved by SGD");

        SGD twoGroups = new SGD(List.of(ParamGroup.of(f64(1)), ParamGroup.of(f64(1, 2))), SGD.options().momentum(0.9));
        assertThatThrownBy(() -> twoGroups.loadStateDict(sd)).hasMessageContaining("1 parameter groups, this optimizer 2");

        SGD swapped = new SGD(List.of(f64(1, 2), f64(1)), SGD.options().momentum(0.9));
        assertThatThrownBy(() -> swapped.loadStateDict(sd)).hasMessageContaining("has shape [1] but its parameter has shape [2]");

        SGD fewer = new SGD(List.of(f64(1)), SGD.options().momentum(0.9));
        assertThatThrownBy(() -> fewer.loadStateDict(sd)).hasMessageContaining("grouping must match");
    }

    @Test
    void stateOfAForeignParameterIsAnError() {
        SGD sgd = new SGD(List.of(f64(1)), SGD.options());
        assertThatThrownBy(() -> sgd.state(f64(2))).hasMessageContaining("not in any of this optimizer's groups");
    }

    @Test
    void addParamGroupLaterFillsDefaults() {
        Parameter a = f64(1);
        Parameter b = f64(1);
        SGD sgd = new SGD(List.of(a), SGD.options().lr(0.2).weightDecay(0.01));
        sgd.addParamGroup(ParamGroup.of(b).lr(1.0));
        assertThat(sgd.paramGroups()).hasSize(2);
        assertThat(sgd.paramGroups().get(1).weightDecay()).isEqualTo(0.01);
        assertThat(sgd.paramGroups().get(1).lr()).isEqualTo(1.0);
    }
}
