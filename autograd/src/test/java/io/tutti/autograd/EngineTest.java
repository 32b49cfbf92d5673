package io.tutti.autograd;

import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@SuppressWarnings("try")   // scopes are opened only to be closed
class EngineTest {
    private static Variable leaf(double... values) {
        return new Variable(Tensor.of(values, values.length), true);
    }

    @Test
    void scalarBackwardFillsLeafGradients() {
        Variable x = leaf(1, 2, 3);
        Variable y = x.mul(x).sum();   // d/dx sum(x^2) = 2x
        y.backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(2, 4, 6);
        assertThat(y.gradFn().name()).isEqualTo("sum");
        assertThat(x.isLeaf()).isTrue();
        assertThat(y.isLeaf()).isFalse();
    }

    @Test
    void fanOutGradientsAreSummed() {
        Variable x = leaf(2);
        Variable a = x.mul(3);
        Variable y = a.add(a.mul(a)).add(x);   // 3x + 9x^2 + x -> 4 + 18x
        y.backward(Tensor.ones(DType.FLOAT64, 1));
        assertThat(x.grad().item()).isCloseTo(40, within(1e-12));
    }

    @Test
    void slicesOfOneInputAddTheirGradientsIntoItsParts() {
        // Three slices (one overlapping another, one strided) and a whole-tensor use of x: the
        // slices add into the summed gradient in place, whatever order they arrive in.
        Variable x = new Variable(Tensor.arange(0, 12, 1, DType.FLOAT64).reshape(2, 6), true);
        Variable a = x.narrow(1, 0, 3).mul(2);
        Variable b = x.narrow(1, 2, 3).mul(3);
        Variable c = x.slice(1, 1, 6, 2).mul(5);
        Variable y = a.sum().add(b.sum()).add(c.sum()).add(x.mul(7).sum());
        y.backward();
        double[] row = {2 + 7, 2 + 5 + 7, 2 + 3 + 7, 3 + 5 + 7, 3 + 7, 5 + 7};
        assertThat(x.grad().toDoubleArray()).containsExactly(concat(row, row));
        assertThat(x.grad().dtype()).isEqualTo(DType.FLOAT64);
    }

    @Test
    void aSliceNeverWritesIntoAGradientAnotherOpReturned() {
        // Add passes its gradient on as it is: the same tensor reaches x twice and the hook's
        // copy; slicing x afterwards must add into a sum of the engine's own.
        Variable x = leaf(1, 2, 3, 4);
        List<Tensor> seen = new ArrayList<>();
        Variable s = x.add(x);
        s.registerHook(g -> {
            seen.add(g);
            return null;
        });
        Variable y = s.add(x.narrow(0, 1, 2).sum().mul(10));
        Tensor g = Tensor.of(new double[] {1, 1, 1, 1}, 4);
        y.backward(g);
        assertThat(x.grad().toDoubleArray()).containsExactly(2, 42, 42, 2);   // 2 from s, 10 * sum(g) on the slice
        assertThat(g.toDoubleArray()).containsExactly(1, 1, 1, 1);
        assertThat(seen.get(0).toDoubleArray()).containsExactly(1, 1, 1, 1);
    }

    @Test
    void aSingleSliceStillGetsItsWholeGradientFromBackward() {
        Variable x = leaf(1, 2, 3);
        x.narrow(0, 1, 2).mul(4).sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(0, 4, 4);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void backwardOnANonScalarNeedsAGradient() {
        Variable x = leaf(1, 2);
        Variable y = x.mul(2);
        assertThatThrownBy(y::backward).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one-element").hasMessageContaining("[2]");
        y.backward(Tensor.of(new double[] {1, 10}, 2));
        assertThat(x.grad().toDoubleArray()).containsExactly(2, 20);
        Variable z = x.mul(2);
        assertThatThrownBy(() -> z.backward(Tensor.ones(DType.FLOAT64, 3)))
                .hasMessageContaining("gradient of shape [3] for an output of shape [2]");
    }

    @Test
    void leafGradientsAccumulateAcrossBackwardCallsUntilCleared() {
        Variable x = leaf(1, 2);
        x.mul(3).sum().backward();
        x.mul(3).sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(6, 6);
        x.zeroGrad();
        assertThat(x.grad()).isNull();
        x.mul(x).sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(2, 4);
        x.grad(null);
        assertThat(x.grad()).isNull();
    }

    @Test
    void leafGradientsDoNotAliasEachOtherOrTheIncomingGradient() {
        Variable a = leaf(1, 2);
        Variable b = leaf(3, 4);
        Tensor g = Tensor.of(new double[] {1, 1}, 2);
        a.add(b).backward(g);
        a.grad().addInPlace(Tensor.of(new double[] {5, 5}, 2));
        assertThat(b.grad().toDoubleArray()).containsExactly(1, 1);
        assertThat(g.toDoubleArray()).containsExactly(1, 1);
        // A broadcast backward yields an expanded view; the stored gradient must still be writable.
        Variable s = new Variable(Tensor.scalar(2, DType.FLOAT64), true);
        s.expand(3).sum().backward();
        assertThat(s.grad().item()).isEqualTo(3);
        Variable v = leaf(1, 1, 1);
        v.sum().backward();
        v.grad().mulInPlace(2);
        assertThat(v.grad().toDoubleArray()).containsExactly(2, 2, 2);
    }

    @Test
    void theGraphIsFreedAfterBackwardUnlessRetained() {
        Variable x = leaf(1, 2);
        Variable y = x.exp().sum();
        y.backward(null, true);
        y.backward();
        assertThat(x.grad().toDoubleArray()[0]).isCloseTo(2 * Math.E, within(1e-12));
        assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already freed").hasMessageContaining("retainGraph");
        // A new op on top of a freed graph fails when backward reaches the freed part.
        Variable z = x.exp();
        z.sum().backward();
        Variable w = z.mul(2).sum();
        assertThatThrownBy(w::backward).hasMessageContaining("'exp' was already freed");
    }

    @Test
    void requiresGradPropagatesAndDetachCuts() {
        Variable x = leaf(1, 2);
        Variable c = new Variable(Tensor.of(new double[] {3, 4}, 2));
        assertThat(c.mul(c).requiresGrad()).isFalse();
        Variable y = x.mul(c);
        assertThat(y.requiresGrad()).isTrue();
        Variable d = y.detach();
        assertThat(d.requiresGrad()).isFalse();
        assertThat(d.isLeaf()).isTrue();
        assertThat(d.data()).isSameAs(y.data());
        Variable z = d.mul(x).sum();   // only the x factor carries a gradient
        z.backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(3, 8);
        assertThat(c.grad()).isNull();
        assertThatThrownBy(() -> c.mul(2).backward()).hasMessageContaining("does not require grad");
        assertThatThrownBy(() -> new Variable(Tensor.arange(3), true)).hasMessageContaining("only floating tensors");
    }

    @Test
    void noGradScopesRecordNothingAndNestPerThread() throws Exception {
        Variable x = leaf(1, 2);
        try (Autograd.Scope g = Autograd.noGrad()) {
            assertThat(Autograd.isGradEnabled()).isFalse();
            Variable y = x.mul(2);
            assertThat(y.requiresGrad()).isFalse();
            assertThat(y.gradFn()).isNull();
            try (Autograd.Scope e = Autograd.enableGrad()) {
                assertThat(x.mul(2).requiresGrad()).isTrue();
            }
            assertThat(Autograd.isGradEnabled()).isFalse();
            boolean[] other = new boolean[1];
            Thread t = new Thread(() -> other[0] = Autograd.isGradEnabled());
            t.start();
            t.join();
            assertThat(other[0]).as("another thread is unaffected").isTrue();
        }
        assertThat(Autograd.isGradEnabled()).isTrue();
    }

    @Test
    void hooksSeeAndMayReplaceGradients() {
        Variable x = leaf(1, 2);
        Variable y = x.mul(3);
        List<double[]> seen = new ArrayList<>();
        y.registerHook(g -> {
            seen.add(g.toDoubleArray());
            return g.mul(10);
        });
        HookHandle leafHook = x.registerHook(g -> g.add(1));
        y.sum().backward();
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).containsExactly(1, 1);
        assertThat(x.grad().toDoubleArray()).containsExactly(31, 31);
        leafHook.remove();
        x.zeroGrad();
        x.mul(3).sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(3, 3);
    }

    @Test
    void retainGradKeepsANonLeafGradient() {
        Variable x = leaf(1, 2);
        Variable y = x.mul(x).retainGrad();
        y.mul(5).sum().backward();
        assertThat(y.grad().toDoubleArray()).containsExactly(5, 5);
        assertThat(x.grad().toDoubleArray()).containsExactly(10, 20);
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        Variable x = leaf(1);
        Variable y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.mul(1.0).add(0.0);
        }
        y.sum().backward();
        assertThat(x.grad().item()).isEqualTo(1.0);
    }

    @Test
    void gradReturnsGradientsWithoutTouchingLeaves() {
        Variable x = leaf(1, 2);
        Variable unused = leaf(5);
        Variable h = x.mul(x);
        Variable y = h.sum();
        List<Tensor> g = Autograd.grad(y, List.of(x, h, unused), null, false);
        assertThat(g.get(0).toDoubleArray()).containsExactly(2, 4);
        assertThat(g.get(1).toDoubleArray()).containsExactly(1, 1);
        assertThat(g.get(2)).isNull();
        assertThat(x.grad()).isNull();
    }

    @Test
    void gradientsComeBackInTheInputDtype() {
        Variable x = new Variable(Tensor.of(new float[] {1, 2}, 2), true);
        Variable y = x.to(DType.FLOAT64).mul(new Variable(Tensor.of(new double[] {3, 4}, 2))).sum();
        assertThat(y.dtype()).isEqualTo(DType.FLOAT64);
        y.backward();
        assertThat(x.grad().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(x.grad().toDoubleArray()).containsExactly(3, 4);
    }

    @Test
    void comparisonsAndArgmaxAreNotDifferentiable() {
        Variable x = leaf(3, 1, 2);
        Tensor m = x.gt(new Variable(Tensor.of(new double[] {2, 2, 2}, 3)));
        assertThat(m.toDoubleArray()).containsExactly(1, 0, 0);
        assertThat(x.argmax().item()).isEqualTo(0);
        assertThat(x.sign().requiresGrad()).isFalse();
    }

    @Test
    void aFunctionInstanceIsAppliedOnce() {
        Function add = new io.tutti.autograd.functions.Add();
        Variable a = leaf(1);
        add.apply(a, a);
        assertThatThrownBy(() -> add.apply(a, a)).hasMessageContaining("add: a Function instance is applied once");
    }

    @Test
    void aBrokenBackwardIsReportedWithTheOpName() {
        Function wrongShape = new Function() {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].sum();
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor grad) {
                return grads(grad);
            }

            @Override
            public String name() {
                return "brokenSum";
            }
        };
        Variable y = wrongShape.apply(leaf(1, 2));
        assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("brokenSum: backward returned a gradient of shape [] for input 0 of shape [2]");
    }

    @Test
    void anomalyModeNamesTheOpThatProducedNaNInForward() {
        Variable x = leaf(1, -1);
        try (Autograd.Scope a = Autograd.detectAnomaly()) {
            assertThatThrownBy(() -> x.mul(2).sqrt())
                    .isInstanceOf(AnomalyException.class)
                    .hasMessageContaining("'sqrt' produced NaN or infinity")
                    .hasMessageContaining("EngineTest")
                    .satisfies(e -> assertThat(((AnomalyException) e).op()).isEqualTo("sqrt"));
        }
        assertThat(x.sqrt().data().toDoubleArray()[1]).isNaN();   // outside the scope: no check
    }

    @Test
    void anomalyModeNamesTheOpWhoseBackwardProducedNaN() {
        Variable x = new Variable(Tensor.of(new double[] {0, 4}, 2), true);
        try (Autograd.Scope a = Autograd.detectAnomaly()) {
            Variable y = x.sqrt().sum();   // sqrt(0) = 0 is fine forward; its derivative is infinite
            assertThatThrownBy(y::backward)
                    .isInstanceOf(AnomalyException.class)
                    .hasMessageContaining("backward of 'sqrt' produced NaN or infinity in the gradient of input 0")
                    .hasMessageContaining("EngineTest.anomalyModeNamesTheOpWhoseBackwardProducedNaN")
                    .hasCauseInstanceOf(Throwable.class);
        }
    }
}
