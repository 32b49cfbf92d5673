package io.tutti.nn;

import io.tutti.autograd.Variable;

/** {@code torch.nn.Identity}: returns its input; a placeholder where a layer is optional. */
public class Identity extends Layer {
    @Override
    public Variable forward(Variable x) {
        return x;
    }
}
