package io.tutti.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One training step (zero grad, forward, cross entropy, backward, SGD lr 0.01) of each reference
 * model of {@link ReferenceModels}, float32, on the default CPU backend with {@code TUTTI_THREADS}
 * threads (two in {@code bench/compare}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
// Two forks: a JVM run's JIT outcome can differ from the next (see bench/README.md), so one fork is not enough.
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainStepBenchmark {
    @Param({"mlp", "cnn", "multimodal", "transformer"})
    public String model;

    private TrainingStep step;

    @Setup
    public void setup() {
        step = TrainingStep.of(model);
    }

    @Benchmark
    public double step() {
        return step.run();
    }
}
