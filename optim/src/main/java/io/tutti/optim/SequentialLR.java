package io.tutti.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs schedules one after another, switching at the milestones, as PyTorch's {@code SequentialLR}:
 * before {@code milestones[0]} the first schedule applies; from {@code milestones[i-1]} schedule
 * {@code i} applies, restarted at its own step 0 ({@code lr = schedule_i(base, t − milestones[i-1])}).
 *
 * <pre>{@code
 * var warmup = new LinearWarmup(opt, 5, 0.1);
 * var cosine = new CosineAnnealingLR(opt, 95);
 * var sched = new SequentialLR(opt, List.of(warmup, cosine), new int[] {5});   // step only this one
 * }</pre>
 *
 * Only the sequential scheduler should then be stepped and saved: it owns the count.
 */
public final class SequentialLR extends LRScheduler {

    /** Chains existing schedulers (on the same optimizer). */
    public SequentialLR(Optimizer optimizer, List<? extends LRScheduler> schedulers, int[] milestones) {
        this(optimizer, schedulesOf(optimizer, schedulers), milestones, true);
    }

    /** Chains plain schedules (closed forms) without creating a scheduler for each. */
    public static SequentialLR ofSchedules(Optimizer optimizer, List<Schedule> schedules, int[] milestones) {
        return new SequentialLR(optimizer, schedules, milestones, true);
    }

    private SequentialLR(Optimizer optimizer, List<Schedule> schedules, int[] milestones, boolean ignored) {
        super(optimizer, chain(schedules, milestones));
    }

    private static List<Schedule> schedulesOf(Optimizer optimizer, List<? extends LRScheduler> schedulers) {
        List<Schedule> out = new ArrayList<>();
        for (LRScheduler s : schedulers) {
            if (s.optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR: every scheduler must drive the same optimizer; "
                        + s.name() + " drives another one");
            }
            out.add(s.schedule());
        }
        return out;
    }

    private static Schedule chain(List<Schedule> schedules, int[] milestones) {
        if (schedules.isEmpty() || milestones.length != schedules.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: needs one milestone fewer than schedulers, got " + schedules.size()
                    + " schedulers and milestones " + Arrays.toString(milestones));
        }
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] <= 0 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new IllegalArgumentException("SequentialLR: milestones must be positive and increasing, got "
                        + Arrays.toString(milestones));
            }
        }
        List<Schedule> parts = List.copyOf(schedules);
        int[] ms = milestones.clone();
        return (base, t) -> {
            int i = 0;
            while (i < ms.length && ms[i] <= t) {
                i++;
            }
            return parts.get(i).lr(base, i == 0 ? t : t - ms[i - 1]);
        };
    }
}
