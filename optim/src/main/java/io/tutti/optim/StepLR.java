package io.tutti.optim;

/** Multiplies the learning rate by {@code gamma} every {@code stepSize} steps: {@code base · gamma^⌊t / stepSize⌋}. */
public final class StepLR extends LRScheduler {
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer, schedule(stepSize, gamma));
    }

    private static Schedule schedule(int stepSize, double gamma) {
        requirePositive("StepLR", "step size", stepSize);
        return (base, t) -> base * Math.pow(gamma, Math.floorDiv(t, stepSize));
    }
}
