package io.tutti.optim;

/**
 * Recomputes the loss and its gradients (zero the gradients, forward, backward) and returns the
 * loss, as PyTorch's {@code closure}. Optimizers that evaluate the loss more than once per step
 * ({@link SAM}) call it with gradients enabled.
 */
@FunctionalInterface
public interface Closure {
    double evaluate();
}
