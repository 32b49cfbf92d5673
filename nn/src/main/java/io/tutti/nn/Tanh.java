package io.tutti.nn;

import io.tutti.autograd.Variable;

/** {@code torch.nn.Tanh}: {@code tanh(x)}, elementwise. */
public class Tanh extends Layer {
    @Override
    public Variable forward(Variable x) {
        return x.tanh();
    }

    @Override
    public String toString() {
        return "Tanh()";
    }
}
