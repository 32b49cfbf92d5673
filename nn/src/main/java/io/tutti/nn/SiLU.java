package io.tutti.nn;

import io.tutti.autograd.Variable;

/** {@code torch.nn.SiLU}: {@code x * sigmoid(x)}, elementwise. */
public class SiLU extends Layer {
    @Override
    public Variable forward(Variable x) {
        return x.silu();
    }

    @Override
    public String toString() {
        return "SiLU()";
    }
}
