package io.tutti.autograd;

import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ReLU gradient where GradCheck cannot look: at NaN and with an infinite upstream gradient. */
class ReluGradientTest {
    @Test
    void passesTheGradientAtNaNAndZeroesItWhereTheInputIsNotPositive() {
        // PyTorch 2.13: relu([nan, -1, 0, 2]).backward([5, inf, inf, 3]) gives x.grad = [5, 0, 0, 3].
        Variable x = new Variable(Tensor.of(new float[] {Float.NaN, -1f, 0f, 2f}, 4), true);
        x.relu().backward(Tensor.of(new float[] {5f, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, 3f}, 4));
        assertThat(x.grad().toFloatArray()).containsExactly(5f, 0f, 0f, 3f);
    }
}
