package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Registration and naming, state dicts, modes, freezing and dtype conversion. */
class ModuleTest {
    /** A two-level model, registered in a deliberate order. */
    static final class Net extends Layer {
        final Sequential encoder;
        final Linear head;

        Net(Generator g) {
            encoder = registerModule("encoder", new Sequential(new Linear(3, 4, g), new BatchNorm1d(4), new ReLU()));
            registerParameter("scale", new Parameter(Tensor.ones(1)));
            head = registerModule("head", new Linear(4, 2, g));
        }

        @Override
        public Variable forward(Variable x) {
            return head.forward(encoder.forward(x)).mul(parameter("scale"));
        }
    }

    @Test
    void namesAreDottedAndInRegistrationOrder() {
        Net net = new Net(new Generator(1));
        assertThat(net.namedParameters().keySet()).containsExactly("scale", "encoder.0.weight", "encoder.0.bias", "encoder.1.weight",
                "encoder.1.bias", "head.weight", "head.bias");
        assertThat(net.stateDict().keySet()).containsExactly("scale", "encoder.0.weight", "encoder.0.bias", "encoder.1.weight",
                "encoder.1.bias", "encoder.1.running_mean", "encoder.1.running_var", "encoder.1.num_batches_tracked", "head.weight",
                "head.bias");
        assertThat(net.namedModules().keySet()).containsExactly("", "encoder", "encoder.0", "encoder.1", "encoder.2", "head");
        assertThat(net.parameterCount(false)).isEqualTo(1 + 12 + 4 + 4 + 4 + 8 + 2);
    }

    @Test
    void loadStateDictIsStrictAndListsEveryProblem() {
        Net a = new Net(new Generator(1));
        Net b = new Net(new Generator(2));
        b.loadStateDict(a.stateDict());
        assertThat(b.stateDict().get("head.weight").toDoubleArray()).containsExactly(a.stateDict().get("head.weight").toDoubleArray());

        Map<String, Tensor> bad = new LinkedHashMap<>(a.stateDict());
        bad.remove("head.bias");
        bad.put("extra", Tensor.zeros(1));
        bad.put("encoder.0.weight", Tensor.zeros(3, 4));
        Tensor before = b.stateDict().get("scale").copy();
        b.stateDict().get("scale").fillInPlace(7);
        assertThatThrownBy(() -> b.loadStateDict(bad))
                .hasMessageContaining("missing keys [head.bias]")
                .hasMessageContaining("unexpected keys [extra]")
                .hasMessageContaining("mis-shaped [encoder.0.weight (expected [4, 3], got [3, 4])]");
        assertThat(b.stateDict().get("scale").item()).as("nothing loaded on failure").isEqualTo(7);

        bad.put("encoder.0.weight", a.stateDict().get("encoder.0.weight"));
        Module.LoadResult r = b.loadStateDict(bad, false);
        assertThat(r.missingKeys()).containsExactly("head.bias");
        assertThat(r.unexpectedKeys()).containsExactly("extra");
        assertThat(b.stateDict().get("scale").item()).isEqualTo(before.item());
    }

    @Test
    void trainEvalReachEveryDescendant() {
        Net net = new Net(new Generator(1));
        assertThat(net.encoder.get(1).isTraining()).isTrue();
        net.eval();
        net.apply(m -> assertThat(m.isTraining()).isFalse());
        net.train();
        net.apply(m -> assertThat(m.isTraining()).isTrue());
        List<String> visited = new ArrayList<>();
        net.apply(m -> visited.add(m.getClass().getSimpleName()));
        assertThat(visited).containsExactly("Linear", "BatchNorm1d", "ReLU", "Sequential", "Linear", "Net");
    }

    @Test
    void frozenParametersGetNoGradient() {
        Net net = new Net(new Generator(1));
        net.encoder.requiresGrad(false);
        assertThat(net.parameterCount(true)).isEqualTo(1 + 8 + 2);
        net.forward(new Generator(2).randn(4, 3)).sum().backward();
        assertThat(net.head.weight().grad()).isNotNull();
        assertThat(((Linear) net.encoder.get(0)).weight().grad()).isNull();
        net.zeroGrad();
        assertThat(net.head.weight().grad()).isNull();
    }

    @Test
    void toConvertsParametersAndFloatingBuffersOnly() {
        Net net = new Net(new Generator(1));
        Tensor w = net.head.weight().data();
        net.to(DType.FLOAT64);
        assertThat(net.head.weight().dtype()).isEqualTo(DType.FLOAT64);
        assertThat(net.head.weight().data().toDoubleArray()).containsExactly(w.to(DType.FLOAT64).toDoubleArray());
        assertThat(net.stateDict().get("encoder.1.running_mean").dtype()).isEqualTo(DType.FLOAT64);
        assertThat(net.stateDict().get("encoder.1.num_batches_tracked").dtype()).isEqualTo(DType.INT32);
        assertThat(net.forward(Tensor.ones(DType.FLOAT64, 2, 3)).dtype()).isEqualTo(DType.FLOAT64);
        assertThatThrownBy(() -> net.to(DType.INT32)).hasMessageContaining("floating");
    }

    @Test
    void badNamesAreRefused() {
        assertThatThrownBy(() -> new Sequential().add("a.b", new ReLU())).hasMessageContaining("invalid name 'a.b'");
        Sequential s = new Sequential().add("x", new ReLU());
        assertThatThrownBy(() -> s.add("x", new ReLU())).hasMessageContaining("'x' is already registered");
        ModuleList<Linear> list = new ModuleList<>();
        list.add(new Linear(1, 1, new Generator(1))).add(new Linear(1, 2, new Generator(1)));
        assertThat(list.stateDict().keySet()).containsExactly("0.weight", "0.bias", "1.weight", "1.bias");
        assertThat(list.get(1).outFeatures()).isEqualTo(2);
    }
}
