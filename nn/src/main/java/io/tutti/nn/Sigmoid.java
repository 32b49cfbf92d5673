package io.tutti.nn;

import io.tutti.autograd.Variable;

/** {@code torch.nn.Sigmoid}: {@code 1 / (1 + exp(-x))}, elementwise. */
public class Sigmoid extends Layer {
    @Override
    public Variable forward(Variable x) {
        return x.sigmoid();
    }

    @Override
    public String toString() {
        return "Sigmoid()";
    }
}
