package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Tensor;

/**
 * A module with one input and one output, {@code y = forward(x)}: what {@link Sequential} chains.
 * Layers with several inputs (attention) extend {@link Module} directly with a forward of their own.
 */
public abstract class Layer extends Module {
    /** Applies the layer. */
    public abstract Variable forward(Variable x);

    /** Applies the layer to a constant input (data that needs no gradient). */
    public final Variable forward(Tensor x) {
        return forward(new Variable(x));
    }
}
