package io.tutti.nn;

import io.tutti.tensor.Tensor;

/**
 * The base of the loss modules ({@code torch.nn}'s {@code _Loss}): a {@link Losses} function with its
 * options fixed at construction, so a model's loss can be built once, printed, and moved with
 * {@link #to} like any layer. Class weights are buffers, as in PyTorch, and appear in the state dict
 * only when given.
 */
public abstract class Loss extends Module {
    private final Reduction reduction;

    /** Checks {@code reduction} (NONE, MEAN or SUM) for the loss named {@code op}. */
    protected Loss(String op, Reduction reduction) {
        Losses.checkReduction(op, reduction);
        this.reduction = reduction;
    }

    /** For {@link KLDivLoss}, the one loss that also takes {@link Reduction#BATCH_MEAN}; it checks its own. */
    Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    public final Reduction reduction() {
        return reduction;
    }

    /** Registers an optional floating constant (a class weight) as a buffer; null registers nothing. */
    protected final void registerOptional(String op, String name, Tensor value) {
        if (value == null) {
            return;
        }
        if (!value.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": " + name + " must be floating, got " + value.dtype());
        }
        registerBuffer(name, value);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "()";
    }
}
