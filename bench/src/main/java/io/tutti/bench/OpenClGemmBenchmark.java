package io.tutti.bench;

import io.tutti.opencl.OpenCl;
import io.tutti.tensor.Backend;
import io.tutti.tensor.Device;
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
 * Square float32 GEMM on the OpenCL device (PoCL, a CPU driver, on this project's machines), the
 * operands and output resident on the device; compare with {@link GemmBenchmark} for the CPU
 * backend. Without a device the benchmark fails at setup with the reason.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class OpenClGemmBenchmark {
    @Param({"128", "256", "512", "1024"})
    public int n;

    private Tensor a;
    private Tensor b;
    private Tensor out;
    private Backend backend;

    @Setup
    public void setup() {
        if (!OpenCl.isAvailable()) {
            throw new IllegalStateException("no OpenCL device: " + OpenCl.unavailableReason());
        }
        Device device = OpenCl.defaultDevice();
        Generator g = new Generator(42);
        a = g.randn(n, n).to(device);
        b = g.randn(n, n).to(device);
        out = Tensor.zeros(io.tutti.tensor.DType.FLOAT32, device, n, n);
        backend = device.backend();
    }

    /** One product; reading one element back waits for the device queue to finish it. */
    @Benchmark
    public double gemm() {
        backend.matmul(a, b, out);
        return out.narrow(0, 0, 1).narrow(1, 0, 1).item();
    }
}
