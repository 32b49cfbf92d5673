package io.tutti.optim;

/**
 * Cosine annealing from the base rate to {@code etaMin} over {@code tMax} steps, in PyTorch's closed
 * form: {@code etaMin + (base − etaMin) · (1 + cos(π t / tMax)) / 2}. Past {@code tMax} the cosine
 * continues (the rate rises again), as the closed form does in PyTorch; stop stepping or chain
 * another scheduler to hold it.
 */
public final class CosineAnnealingLR extends LRScheduler {
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer, schedule(tMax, etaMin));
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    static Schedule schedule(int tMax, double etaMin) {
        requirePositive("CosineAnnealingLR", "tMax", tMax);
        return (base, t) -> etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2;
    }
}
