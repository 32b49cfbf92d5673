package io.tutti.nn;

import io.tutti.autograd.Variable;

/** {@code torch.nn.ReLU}: {@code max(x, 0)}, elementwise. */
public class ReLU extends Layer {
    @Override
    public Variable forward(Variable x) {
        return x.relu();
    }

    @Override
    public String toString() {
        return "ReLU()";
    }
}
