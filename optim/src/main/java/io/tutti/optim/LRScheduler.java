package io.tutti.optim;

import java.util.List;

/**
 * Sets the learning rate of every parameter group as a function of how many times {@link #step()}
 * has been called, as PyTorch's {@code lr_scheduler}. Each scheduler is a closed form
 * {@code lr = schedule(baseLr, t)} over the group's base learning rate (its {@code initial_lr},
 * recorded by the first scheduler created on the optimizer); a scheduler's whole state is therefore
 * {@code t} and the base rates, and resuming from a checkpoint reproduces the same rates exactly.
 *
 * <p>Creating a scheduler sets the rates for {@code t = 0}. Call {@link #step()} after
 * {@code optimizer.step()}: once per epoch for epoch-based schedules (StepLR(70, 0.1) in the seed
 * papers) or once per batch for step-based ones (a warm-up measured in steps). The count is the
 * same "epoch" either way; only the caller decides what it counts.
 */
public abstract class LRScheduler {

    /** The learning rate after {@code t} scheduler steps, given the group's base rate. */
    @FunctionalInterface
    public interface Schedule {
        double lr(double baseLr, int t);
    }

    private final Optimizer optimizer;
    private final Schedule schedule;
    private double[] baseLrs;
    private int lastEpoch;

    protected LRScheduler(Optimizer optimizer, Schedule schedule) {
        if (optimizer == null || schedule == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer and schedule must not be null");
        }
        this.optimizer = optimizer;
        this.schedule = schedule;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (!g.has(ParamGroup.INITIAL_LR)) {
                g.set(ParamGroup.INITIAL_LR, g.lr());
            }
            baseLrs[i] = g.getDouble(ParamGroup.INITIAL_LR);
        }
        apply();
    }

    public String name() {
        return getClass().getSimpleName();
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The closed form this scheduler follows (used by {@link SequentialLR} to chain schedulers). */
    public Schedule schedule() {
        return schedule;
    }

    /** Advances the count by one and sets the groups' learning rates for it. */
    public void step() {
        lastEpoch++;
        apply();
    }

    /** How many times {@link #step()} has been called (PyTorch's {@code last_epoch}). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The base learning rate of each group. */
    public double[] baseLrs() {
        return baseLrs.clone();
    }

    /** The learning rate each group has now. */
    public double[] lastLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = groups.get(i).lr();
        }
        return lrs;
    }

    /** The rate group {@code group} would have after {@code t} steps. */
    public double lrAt(int group, int t) {
        return schedule.lr(baseLrs[group], t);
    }

    private void apply() {
        List<ParamGroup> groups = optimizer.paramGroups();
        if (groups.size() != baseLrs.length) {
            throw new IllegalStateException(name() + ": the optimizer has " + groups.size() + " parameter groups but the scheduler "
                    + baseLrs.length + "; create the scheduler after adding groups");
        }
        for (int i = 0; i < baseLrs.length; i++) {
            groups.get(i).lr(schedule.lr(baseLrs[i], lastEpoch));
        }
    }

    /** The scheduler's state: its name, {@code last_epoch} and {@code base_lrs}. */
    public StateDict stateDict() {
        return new StateDict()
                .putString("scheduler", name())
                .putLong("last_epoch", lastEpoch)
                .putDoubles("base_lrs", baseLrs);
    }

    /** Restores a state saved by a scheduler of the same kind and sets the groups' rates to match it. */
    public void loadStateDict(StateDict sd) {
        String saved = sd.getString("scheduler");
        if (!saved.equals(name())) {
            throw new IllegalArgumentException(name() + ": loadStateDict: the state was saved by " + saved);
        }
        double[] bases = sd.getDoubles("base_lrs");
        if (bases.length != baseLrs.length) {
            throw new IllegalArgumentException(name() + ": loadStateDict: the state has " + bases.length
                    + " base learning rates, the optimizer " + baseLrs.length + " groups");
        }
        int epoch = sd.getInt("last_epoch");
        if (epoch < 0) {
            throw new IllegalArgumentException(name() + ": loadStateDict: last_epoch must be non-negative, got " + epoch);
        }
        baseLrs = bases;
        lastEpoch = epoch;
        apply();
    }

    static void requirePositive(String owner, String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(owner + ": " + what + " must be positive, got " + value);
        }
    }
}
