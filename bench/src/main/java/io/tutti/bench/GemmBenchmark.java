package io.tutti.bench;

import io.tutti.tensor.Backend;
import io.tutti.tensor.Backends;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
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
 * Square float32 GEMM on the CPU backend (two threads unless {@code TUTTI_THREADS} says otherwise),
 * into a preallocated output. GFLOPS = 2 n^3 / time; the comparison script converts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"128", "256", "512", "1024", "2048"})
    public int n;

    private Tensor a;
    private Tensor b;
    private Tensor out;
    private Backend backend;

    @Setup
    public void setup() {
        Generator g = new Generator(42);
        a = g.randn(n, n);
        b = g.randn(n, n);
        out = Tensor.zeros(n, n);
        backend = Backends.cpu();
    }

    @Benchmark
    public Tensor gemm() {
        backend.matmul(a, b, out);
        return out;
    }
}
