package io.tutti.autograd;

import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GradCheckTest {
    private final Generator gen = new Generator(42);

    private Variable input(int... shape) {
        return new Variable(gen.normal(0, 1, DType.FLOAT64, shape), true);
    }

    /** x * y with a backward that forgets the factor 2 on input 1's element gradient. */
    private static final class WrongMul extends Function {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return in[0].mul(in[1]).mul(2);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor grad) {
            return grads(grad.mul(ctx.saved(1)).mul(2), grad.mul(ctx.saved(0)));
        }
    }

    @Test
    void passesForACorrectComposition() {
        Variable x = input(2, 3);
        Variable w = input(3, 2);
        GradCheck.check(in -> in.get(0).matmul(in.get(1)).tanh().sum(1, false), x, w);
        GradCheck.of(in -> in.get(0).matmul(in.get(1)).softmax(0)).fastMode(true).check(List.of(x, w));
    }

    @Test
    void reportsTheInputElementAndBothValues() {
        Variable x = input(2);
        Variable y = input(2);
        assertThatThrownBy(() -> GradCheck.check(in -> new WrongMul().apply(in.get(0), in.get(1)), x, y))
                .isInstanceOf(GradCheckError.class)
                .hasMessageContaining("input 1, element [")
                .hasMessageContaining("analytical")
                .hasMessageContaining("numerical")
                .satisfies(e -> {
                    GradCheck.Mismatch m = ((GradCheckError) e).mismatch();
                    assertThat(m.input()).isEqualTo(1);
                    assertThat(m.numerical()).isCloseTo(2 * m.analytical(), org.assertj.core.data.Offset.offset(1e-5));
                });
    }

    @Test
    void fastModeFindsTheSameBugAndThenLocatesIt() {
        Variable x = input(3);
        Variable y = input(3);
        assertThatThrownBy(() -> GradCheck.of(in -> new WrongMul().apply(in.get(0), in.get(1)).sum()).fastMode(true)
                .check(List.of(x, y)))
                .isInstanceOf(GradCheckError.class)
                .hasMessageContaining("fast mode: v^T J u")
                .hasMessageContaining("input 1, element [");
    }

    @Test
    void checksVariablesTheFunctionClosesOver() {
        // The way a module's parameters are checked: the function uses them directly, and they are listed as inputs.
        Variable weight = input(3, 2);
        Variable x = input(4, 3);
        GradCheck.check(in -> in.get(0).matmul(weight).relu().sum(), x, weight);
        Variable wrongWeight = input(2);
        assertThatThrownBy(() -> GradCheck.check(in -> new WrongMul().apply(in.get(0), wrongWeight).sum(), input(2), wrongWeight))
                .isInstanceOf(GradCheckError.class).hasMessageContaining("input 1");
    }

    @Test
    void rejectsInputsItCannotCheck() {
        Variable f32 = new Variable(Tensor.ones(2), true);
        assertThatThrownBy(() -> GradCheck.check(in -> in.get(0).sum(), f32)).hasMessageContaining("float64");
        Variable constant = new Variable(Tensor.ones(DType.FLOAT64, 2));
        assertThatThrownBy(() -> GradCheck.check(in -> in.get(0).sum(), constant)).hasMessageContaining("no input requires");
    }

    @Test
    void leavesInputsAsTheyWere() {
        Variable x = input(2, 2);
        double[] before = x.data().toDoubleArray();
        GradCheck.check(in -> in.get(0).exp().sum(), x);
        GradCheck.of(in -> in.get(0).exp().sum()).fastMode(true).check(List.of(x));
        assertThat(x.data().toDoubleArray()).containsExactly(before);
        assertThat(x.grad()).isNull();
    }
}
