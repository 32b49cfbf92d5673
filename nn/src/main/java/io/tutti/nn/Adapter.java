package io.tutti.nn;

import io.tutti.autograd.Variable;

/**
 * A trainable branch attached to an existing layer that changes the layer's output in place of
 * replacing the layer (LoRA's low-rank update is one). Parents hold their children in fields, so a
 * layer cannot be swapped for a wrapper after construction; attaching keeps every reference and
 * every state-dict key of the layer valid and adds the adapter's under {@code layer.<name>.}.
 *
 * <p>Layers that accept adapters ({@link AdaptableLayer}s: {@link Linear}, {@link Conv2d}) call {@link #adapt} with their
 * input and their own output, in the order the adapters were added.
 */
public abstract class Adapter extends Module {
    /** The layer's output after this adapter, given the layer's input and its output so far. */
    public abstract Variable adapt(Variable input, Variable output);
}
