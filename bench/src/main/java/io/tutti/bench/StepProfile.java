package io.tutti.bench;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.OpProfile;

import java.util.Locale;

/**
 * Where one reference model's training step spends its time, op by op: warms the step up, then runs
 * it under an {@link OpProfile} and prints the table. Usage:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar io.tutti.bench.StepProfile transformer [steps] [--shapes]}.
 */
public final class StepProfile {
    private StepProfile() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println("usage: StepProfile <" + String.join("|", TrainingStep.MODELS) + "> [steps] [--shapes]");
            System.exit(2);
        }
        TrainingStep step = TrainingStep.of(args[0]);
        int steps = args.length > 1 && !args[1].startsWith("--") ? Integer.parseInt(args[1]) : 100;
        boolean shapes = args[args.length - 1].equals("--shapes");
        for (int i = 0; i < steps; i++) {
            step.run();
        }
        long start = System.nanoTime();
        OpProfile profile;
        try (OpProfile p = Autograd.profile(shapes)) {
            profile = p;
            for (int i = 0; i < steps; i++) {
                step.run();
            }
        }
        double stepMs = (System.nanoTime() - start) / 1e6 / steps;
        System.out.printf(Locale.ROOT, "%s: %.3f ms per step over %d steps, of which autograd ops %.3f ms; totals below are for all %d steps%n",
                args[0], stepMs, steps, profile.totalNanos() / 1e6 / steps, steps);
        System.out.print(profile.table());
    }
}
