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
        this(op, reduction, false);
    }

    /** As {@link #Loss(String, Reduction)}; with {@code batchMean} ({@link KLDivLoss}) BATCH_MEAN is taken too. */
    Loss(String op, Reduction reduction, boolean batchMean) {
        if (!batchMean) {
            Losses.checkReduction(op, reduction);
        } else if (reduction == null) {
            throw new IllegalArgumentException(op + ": reduction must be NONE, MEAN, SUM or BATCH_MEAN, got null");
        }
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
