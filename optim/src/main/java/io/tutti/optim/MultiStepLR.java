package io.tutti.optim;

import java.util.Arrays;

/**
 * Multiplies the learning rate by {@code gamma} at each milestone: {@code base · gamma^k} where k is
 * the number of milestones {@code <= t}. Repeated milestones count repeatedly, as in PyTorch.
 */
public final class MultiStepLR extends LRScheduler {
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer, schedule(milestones, gamma));
    }

    private static Schedule schedule(int[] milestones, double gamma) {
        int[] sorted = milestones.clone();
        Arrays.sort(sorted);
        if (sorted.length > 0 && sorted[0] < 0) {
            throw new IllegalArgumentException("MultiStepLR: milestones must be non-negative, got " + Arrays.toString(milestones));
        }
        return (base, t) -> {
            int passed = 0;
            while (passed < sorted.length && sorted[passed] <= t) {
                passed++;
            }
            return base * Math.pow(gamma, passed);
        };
    }
}
