package io.tutti.multimodal;

import io.tutti.optim.CosineAnnealingLR;
import io.tutti.optim.LRScheduler;
import io.tutti.optim.LambdaLR;
import io.tutti.optim.Optimizer;
import io.tutti.optim.StepLR;

/**
 * Learning-rate schedule specs, stepped once per epoch: {@code none} (constant), {@code step}
 * (x0.1 after 70% of the epochs: the seed papers' StepLR(70, 0.1) for 100 epochs, scaled to the
 * run), {@code step:S:G} (StepLR(S, G)) and {@code cosine} (cosine annealing to 0 over the epochs).
 */
public final class Schedules {
    private Schedules() {
    }

    /** Fails with the accepted forms unless {@code spec} is one. */
    public static void check(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("scheduler: missing (none, step, step:S:G or cosine)");
        }
        if (spec.equals("none") || spec.equals("step") || spec.equals("cosine")) {
            return;
        }
        parseStep(spec);
    }

    /** The scheduler for {@code spec} over a run of {@code epochs} epochs. */
    public static LRScheduler create(String spec, Optimizer optimizer, int epochs) {
        check(spec);
        switch (spec) {
            case "none":
                return new LambdaLR(optimizer, t -> 1.0);
            case "step":
                return new StepLR(optimizer, Math.max(1, (int) Math.round(0.7 * epochs)), 0.1);
            case "cosine":
                return new CosineAnnealingLR(optimizer, Math.max(1, epochs));
            default:
                double[] sg = parseStep(spec);
                return new StepLR(optimizer, (int) sg[0], sg[1]);
        }
    }

    private static double[] parseStep(String spec) {
        String[] f = spec.split(":");
        if (f.length == 3 && f[0].equals("step")) {
            try {
                int s = Integer.parseInt(f[1]);
                double g = Double.parseDouble(f[2]);
                if (s >= 1 && g > 0) {
                    return new double[] {s, g};
                }
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("scheduler: unknown '" + spec + "'; use none, step, step:S:G (e.g. step:70:0.1) or cosine");
    }
}
