package io.tutti.bench;

import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Reductions and softmax over 1M floats seen as a {@code [1024, 1024]} matrix: the whole-tensor
 * max, row sums (contiguous inner axis), column sums (strided outer axis), and softmax along rows,
 * result allocated per call as in the peer's {@code torch} calls.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ReductionBenchmark {
    private Tensor m;

    @Setup
    public void setup() {
        m = new Generator(11).randn(1024, 1024);
    }

    @Benchmark
    public Tensor max1M() {
        return m.max();
    }

    @Benchmark
    public Tensor sumRows1M() {
        return m.sum(1, false);
    }

    @Benchmark
    public Tensor sumColumns1M() {
        return m.sum(0, false);
    }

    @Benchmark
    public Tensor softmaxRows1M() {
        return m.softmax(1);
    }
}
