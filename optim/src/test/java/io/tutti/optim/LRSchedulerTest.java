package io.tutti.optim;

import io.tutti.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.tutti.optim.Params.f64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Schedules against their closed forms. */
class LRSchedulerTest {

    private static SGD sgd(double lr) {
        return new SGD(List.of(f64(1)), SGD.options().lr(lr));
    }

    /** The first-group learning rate at t = 0..n-1, stepping after each read. */
    private static double[] trace(LRScheduler s, int n) {
        double[] out = new double[n];
        for (int t = 0; t < n; t++) {
            out[t] = s.optimizer().paramGroups().get(0).lr();
            s.step();
        }
        return out;
    }

    @Test
    void stepLr() {
        assertThat(trace(new StepLR(sgd(1.0), 2, 0.1), 6)).containsExactly(new double[] {1, 1, 0.1, 0.1, 0.01, 0.01}, within(1e-15));
    }

    @Test
    void multiStepLrCountsMilestonesPassed() {
        assertThat(trace(new MultiStepLR(sgd(0.8), new int[] {4, 2}, 0.5), 6))
                .containsExactly(new double[] {0.8, 0.8, 0.4, 0.4, 0.2, 0.2}, within(1e-15));
    }

    @Test
    void cosineAnnealingClosedForm() {
        CosineAnnealingLR s = new CosineAnnealingLR(sgd(1.0), 4, 0.2);
        // 0.2 + 0.8 (1 + cos(π t / 4)) / 2 for t = 0..4, then rising again past tMax
        double r = Math.sqrt(0.5);
        assertThat(trace(s, 6)).containsExactly(new double[] {
            1.0, 0.2 + 0.4 * (1 + r), 0.6, 0.2 + 0.4 * (1 - r), 0.2, 0.2 + 0.4 * (1 - r)}, within(1e-15));
    }

    @Test
    void linearWarmupThenHold() {
        assertThat(trace(new LinearWarmup(sgd(1.0), 4, 0.25), 6))
                .containsExactly(new double[] {0.25, 0.4375, 0.625, 0.8125, 1, 1}, within(1e-15));
    }

    @Test
    void warmupThenCosine() {
        // 2 warm-up steps from 0.5, then cosine over the remaining 4 steps to 0
        LRScheduler s = LinearWarmup.thenCosine(sgd(1.0), 2, 0.5, 6, 0.0);
        double r = Math.sqrt(0.5);
        assertThat(trace(s, 7)).containsExactly(new double[] {
            0.5, 0.75, 1.0, 0.5 * (1 + r), 0.5, 0.5 * (1 - r), 0.0}, within(1e-15));
    }

    @Test
    void sequentialOfSchedulerObjectsRestartsEachAtItsMilestone() {
        SGD opt = sgd(1.0);
        StepLR first = new StepLR(opt, 1, 0.5);
        MultiStepLR second = new MultiStepLR(opt, new int[] {1}, 0.1);
        SequentialLR s = new SequentialLR(opt, List.of(first, second), new int[] {3});
        assertThat(trace(s, 6)).containsExactly(new double[] {1, 0.5, 0.25, 1, 0.1, 0.1}, within(1e-15));
        assertThatThrownBy(() -> new SequentialLR(opt, List.of(first, second), new int[] {})).hasMessageContaining("one milestone fewer");
        assertThatThrownBy(() -> new SequentialLR(sgd(1), List.of(first), new int[0])).hasMessageContaining("same optimizer");
    }

    @Test
    void eachGroupScalesItsOwnBaseRate() {
        Parameter a = f64(1);
        Parameter b = f64(1);
        SGD opt = new SGD(List.of(ParamGroup.of(a).lr(1.0), ParamGroup.of(b).lr(0.01)), SGD.options());
        StepLR s = new StepLR(opt, 1, 0.5);
        s.step();
        assertThat(s.lastLrs()).containsExactly(0.5, 0.005);
        assertThat(s.baseLrs()).containsExactly(1.0, 0.01);
        assertThat(opt.paramGroups().get(1).getDouble(ParamGroup.INITIAL_LR)).isEqualTo(0.01);
    }

    @Test
    void lambdaLr() {
        assertThat(trace(new LambdaLR(sgd(2.0), t -> 1.0 / (t + 1)), 3)).containsExactly(new double[] {2, 1, 2.0 / 3}, within(1e-15));
    }

    @Test
    void stateDictResumesTheSameRates() {
        SGD opt = sgd(1.0);
        LRScheduler s = LinearWarmup.thenCosine(opt, 3, 0.1, 10, 0.01);
        for (int i = 0; i < 5; i++) {
            s.step();
        }
        StateDict sd = s.stateDict();
        assertThat(sd.getInt("last_epoch")).isEqualTo(5);

        SGD fresh = sgd(1.0);
        LRScheduler resumed = LinearWarmup.thenCosine(fresh, 3, 0.1, 10, 0.01);
        resumed.loadStateDict(sd);
        assertThat(resumed.lastEpoch()).isEqualTo(5);
        assertThat(fresh.paramGroups().get(0).lr()).isEqualTo(opt.paramGroups().get(0).lr());
        s.step();
        resumed.step();
        assertThat(fresh.paramGroups().get(0).lr()).isEqualTo(opt.paramGroups().get(0).lr());

        assertThatThrownBy(() -> new StepLR(sgd(1), 2, 0.1).loadStateDict(sd)).hasMessageContaining("saved by SequentialLR");
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new StepLR(sgd(1), 0, 0.1)).hasMessageContaining("step size must be positive");
        assertThatThrownBy(() -> new CosineAnnealingLR(sgd(1), 0)).hasMessageContaining("tMax");
        assertThatThrownBy(() -> new LinearWarmup(sgd(1), 3, 0)).hasMessageContaining("start factor");
    }
}
