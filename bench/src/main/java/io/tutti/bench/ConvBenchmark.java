package io.tutti.bench;

import io.tutti.tensor.Convolution;
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
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The 3x3 (padding 1) convolutions of the reference models' trunks, batch 64, without autograd:
 * forward, and backward as the three gradients autograd asks for (input, weight, bias), which is
 * what the peer's {@code aten.convolution_backward} computes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ConvBenchmark {
    /** {@code inC x H x W -> outC}: the image trunk's two convolutions, then the audio trunk's. */
    @Param({"1x28x28-32", "32x14x14-64", "1x40x100-32", "32x20x50-64"})
    public String shape;

    private static final int BATCH = 64;
    private static final int[] ONE = {1};

    private Tensor x;
    private Tensor weight;
    private Tensor bias;
    private Tensor gradOut;

    @Setup
    public void setup() {
        String[] parts = shape.split("[x-]");
        int c = Integer.parseInt(parts[0]);
        int h = Integer.parseInt(parts[1]);
        int w = Integer.parseInt(parts[2]);
        int o = Integer.parseInt(parts[3]);
        Generator g = new Generator(5);
        x = g.randn(BATCH, c, h, w);
        weight = g.randn(o, c, 3, 3).mul(0.1);
        bias = g.randn(o);
        gradOut = g.randn(BATCH, o, h, w);
    }

    @Benchmark
    public Tensor forward() {
        return Convolution.conv2d(x, weight, bias, ONE, ONE, ONE, 1);
    }

    /** Input, weight and bias gradients. */
    @Benchmark
    public void backward(Blackhole sink) {
        sink.consume(Convolution.conv2dInputGrad(gradOut, weight, x.shape(), ONE, ONE, ONE, 1));
        sink.consume(Convolution.conv2dWeightGrad(x, gradOut, weight.shape(), ONE, ONE, ONE, 1));
        sink.consume(gradOut.sum(new int[] {0, 2, 3}, false));
    }
}
