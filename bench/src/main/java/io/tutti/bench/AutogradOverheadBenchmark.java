package io.tutti.bench;

import io.tutti.autograd.Variable;
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
 * The fixed cost autograd adds to a tiny op, mirroring the peer's overhead section: a 16-element add
 * that is recorded, and a chain of 100 recorded adds followed by backward (reported per op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class AutogradOverheadBenchmark {
    private Variable a;
    private Variable b;

    @Setup
    public void setup() {
        Generator g = new Generator(3);
        a = new Variable(g.randn(16), true);
        b = new Variable(g.randn(16));
    }

    @Benchmark
    public Variable add16Recorded() {
        return a.add(b);
    }

    /** 100 recorded adds then backward; divide by 100 for the cost per op. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Tensor chain100AddsForwardBackward() {
        Variable x = a;
        for (int i = 0; i < 100; i++) {
            x = x.add(b);
        }
        x.sum().backward();
        return a.grad();
    }
}
