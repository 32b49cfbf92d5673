package io.tutti.nn;

/**
 * How a loss reduces its per-element values, as PyTorch's {@code reduction} argument.
 * {@code BATCH_MEAN} (the sum divided by the batch size) is accepted only by {@link Losses#klDiv}.
 */
public enum Reduction {
    NONE, MEAN, SUM, BATCH_MEAN
}
