package io.tutti.nn;

import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.Arrays;

/**
 * Weight initialisers with {@code torch.nn.init}'s formulas. Each fills a tensor in place (usually
 * {@code parameter.data()}) and returns it; the random ones draw from the given {@link Generator},
 * so a model built from a seed is the same on every run, thread count and backend.
 *
 * <p>Fans follow PyTorch: for a weight {@code [out, in, k...]}, {@code fanIn = in * prod(k)} and
 * {@code fanOut = out * prod(k)}.
 */
public final class Init {
    private Init() {
    }

    /** Which fan the Kaiming initialisers preserve the variance of: forward ({@code FAN_IN}) or backward ({@code FAN_OUT}). */
    public enum FanMode {
        FAN_IN, FAN_OUT
    }

    /** The nonlinearity a weight feeds, for {@link #gain}. */
    public enum Nonlinearity {
        LINEAR, CONV, SIGMOID, TANH, RELU, LEAKY_RELU, SELU
    }

    /**
     * {@code torch.nn.init.calculate_gain}: 1 for linear, convolution and sigmoid, 5/3 for tanh,
     * sqrt(2) for ReLU, sqrt(2 / (1 + slope^2)) for leaky ReLU (slope {@code param}), 3/4 for SELU.
     */
    public static double gain(Nonlinearity nonlinearity, double param) {
        return switch (nonlinearity) {
            case LINEAR, CONV, SIGMOID -> 1;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2);
            case LEAKY_RELU -> Math.sqrt(2 / (1 + param * param));
            case SELU -> 0.75;
        };
    }

    /** {@code [fanIn, fanOut]} of a weight of rank 2 or more. */
    public static int[] fans(Tensor weight) {
        if (weight.dim() < 2) {
            throw new IllegalArgumentException("init: fan in and fan out need at least 2 dimensions, got shape "
                    + Arrays.toString(weight.shape()));
        }
        int receptive = 1;
        for (int i = 2; i < weight.dim(); i++) {
            receptive *= weight.shape(i);
        }
        return new int[] {weight.shape(1) * receptive, weight.shape(0) * receptive};
    }

    private static int fan(Tensor weight, FanMode mode) {
        int[] f = fans(weight);
        int n = mode == FanMode.FAN_IN ? f[0] : f[1];
        if (n == 0) {
            throw new IllegalArgumentException("init: cannot initialise a weight of shape " + Arrays.toString(weight.shape())
                    + " with a zero " + mode.name().toLowerCase());
        }
        return n;
    }

    /**
     * {@code kaiming_uniform_}: uniform in {@code ±gain * sqrt(3 / fan)}. {@code a} is the leaky
     * ReLU slope (used only with {@code LEAKY_RELU}). PyTorch's default for linear and convolution
     * weights is {@code a = sqrt(5)}, {@code FAN_IN}, {@code LEAKY_RELU}: a bound of {@code 1 / sqrt(fanIn)}.
     */
    public static Tensor kaimingUniform(Tensor weight, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        double bound = gain(nonlinearity, a) * Math.sqrt(3.0 / fan(weight, mode));
        return gen.uniformInPlace(weight, -bound, bound);
    }

    /** {@code kaiming_normal_}: normal with standard deviation {@code gain / sqrt(fan)}. */
    public static Tensor kaimingNormal(Tensor weight, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        double std = gain(nonlinearity, a) / Math.sqrt(fan(weight, mode));
        return gen.normalInPlace(weight, 0, std);
    }

    /** {@code xavier_uniform_}: uniform in {@code ±gain * sqrt(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform(Tensor weight, double gain, Generator gen) {
        int[] f = fans(weight);
        double bound = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return gen.uniformInPlace(weight, -bound, bound);
    }

    /** {@code xavier_normal_}: normal with standard deviation {@code gain * sqrt(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Tensor weight, double gain, Generator gen) {
        int[] f = fans(weight);
        return gen.normalInPlace(weight, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])));
    }

    /** {@code uniform_}: uniform in {@code [lo, hi)}. */
    public static Tensor uniform(Tensor t, double lo, double hi, Generator gen) {
        return gen.uniformInPlace(t, lo, hi);
    }

    /** {@code normal_}. */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        return gen.normalInPlace(t, mean, std);
    }

    /** {@code zeros_}. */
    public static Tensor zeros(Tensor t) {
        return t.zeroInPlace();
    }

    /** {@code ones_}. */
    public static Tensor ones(Tensor t) {
        return t.fillInPlace(1);
    }

    /** {@code constant_}. */
    public static Tensor constant(Tensor t, double value) {
        return t.fillInPlace(value);
    }

    /**
     * PyTorch's default initialisation of a linear or convolution layer: the weight from
     * {@code kaiming_uniform_(a=sqrt(5))}, i.e. uniform in {@code ±1/sqrt(fanIn)}, and the bias (may
     * be null) uniform in the same range.
     */
    static void linearDefault(Tensor weight, Tensor bias, Generator gen) {
        kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, gen);
        if (bias != null) {
            int fanIn = fans(weight)[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            uniform(bias, -bound, bound, gen);
        }
    }
}
