package io.tutti.nn;

import io.tutti.autograd.Variable;

/** {@code torch.nn.Flatten}: merges dimensions {@code startDim..endDim} (default 1..-1, keeping the batch). */
public class Flatten extends Layer {
    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Variable forward(Variable x) {
        return x.flatten(startDim, endDim);
    }

    @Override
    public String toString() {
        return "Flatten(" + startDim + ", " + endDim + ")";
    }
}
