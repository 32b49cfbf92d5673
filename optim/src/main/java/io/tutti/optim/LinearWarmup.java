package io.tutti.optim;

import java.util.List;

/**
 * Raises the learning rate linearly from {@code startFactor · base} to {@code base} over
 * {@code warmupSteps} steps, then holds it: {@code base · (s + (1 − s) · min(t, warmupSteps) / warmupSteps)}.
 * This is PyTorch's {@code LinearLR(start_factor=s, end_factor=1, total_iters=warmupSteps)}.
 * {@link #thenCosine} chains it with cosine annealing.
 */
public final class LinearWarmup extends LRScheduler {
    public LinearWarmup(Optimizer optimizer, int warmupSteps, double startFactor) {
        super(optimizer, schedule(warmupSteps, startFactor));
    }

    static Schedule schedule(int warmupSteps, double startFactor) {
        requirePositive("LinearWarmup", "warm-up steps", warmupSteps);
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearWarmup: start factor must be in (0, 1], got " + startFactor);
        }
        return (base, t) -> base * (startFactor + (1 - startFactor) * Math.min(t, warmupSteps) / warmupSteps);
    }

    /**
     * Warm-up for {@code warmupSteps}, then cosine annealing to {@code etaMin} at
     * {@code totalSteps}: the usual transformer recipe.
     */
    public static SequentialLR thenCosine(Optimizer optimizer, int warmupSteps, double startFactor, int totalSteps, double etaMin) {
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("LinearWarmup.thenCosine: total steps " + totalSteps + " must exceed warm-up steps "
                    + warmupSteps);
        }
        return SequentialLR.ofSchedules(optimizer, List.of(schedule(warmupSteps, startFactor),
                CosineAnnealingLR.schedule(totalSteps - warmupSteps, etaMin)), new int[] {warmupSteps});
    }
}
