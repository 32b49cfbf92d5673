package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdapterTest {
    /** Adds a constant and counts calls: enough to see where and when adapters run. */
    static final class Shift extends Adapter {
        final double by;
        int calls;

        Shift(double by) {
            this.by = by;
        }

        @Override
        public Variable adapt(Variable input, Variable output) {
            calls++;
            return output.add(by);
        }
    }

    @Test
    void adaptersChangeTheOutputInOrderAndDetachCleanly() {
        Generator gen = new Generator(0);
        Linear fc = new Linear(3, 2, gen);
        Conv2d conv = new Conv2d(1, 1, 1, gen);
        Sequential net = new Sequential(conv, new Flatten(), fc);
        Tensor x = new Generator(1).randn(2, 1, 1, 3);
        Tensor plain = net.forward(x).data().copy();

        Shift one = fc.addAdapter("one", new Shift(1));
        Shift ten = conv.addAdapter("ten", new Shift(10));
        assertThat(net.namedModules().keySet()).contains("0.ten", "2.one");
        Tensor adapted = net.forward(x).data();
        // conv + 10 feeds fc: fc(x + 10) + 1 = fc(x) + 10 * rowsum(W) + 1
        Tensor expected = plain.add(fc.weight().data().sum(1, false).mul(10.0)).add(1.0);
        assertThat(adapted.sub(expected).abs().max().item()).isLessThan(1e-4);
        assertThat(one.calls).isEqualTo(1);
        assertThat(fc.adapters()).containsExactly(one);

        fc.removeAdapter(one);
        conv.removeAdapter(ten);
        assertThat(net.namedModules().keySet()).doesNotContain("0.ten", "2.one");
        assertThat(net.forward(x).data().toFloatArray()).containsExactly(plain.toFloatArray());
        assertThatThrownBy(() -> fc.removeAdapter(one)).hasMessageContaining("not attached");
    }
}
