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
 * Elementwise and reduction throughput on 1M floats, and the fixed cost of a 16-element op, through
 * the public {@link Tensor} API (allocation of the result included, as in {@code numpy a + b}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBenchmark {
    private Tensor a1m;
    private Tensor b1m;
    private Tensor c1m;
    private Tensor a16;
    private Tensor b16;

    @Setup
    public void setup() {
        Generator g = new Generator(7);
        a1m = g.randn(1 << 20);
        b1m = g.randn(1 << 20);
        c1m = a1m.copy();
        a16 = g.randn(16);
        b16 = g.randn(16);
    }

    @Benchmark
    public Tensor add1M() {
        return a1m.add(b1m);
    }

    /** The same add without allocating: what an optimizer update does, and what {@code a += b} is in NumPy. */
    @Benchmark
    public Tensor addInPlace1M() {
        return c1m.addInPlace(b1m);
    }

    @Benchmark
    public Tensor exp1M() {
        return a1m.exp();
    }

    @Benchmark
    public Tensor sum1M() {
        return a1m.sum();
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Tensor add16() {
        return a16.add(b16);
    }
}
