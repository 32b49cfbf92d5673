package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.Conv2dFn;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * {@code torch.nn.Conv2d}: {@code x [N, C, H, W]} to {@code [N, O, outH, outW]} with
 * {@code weight [O, C / groups, kH, kW]} and {@code bias [O]}, zero padding; PyTorch's default
 * initialisation (uniform in {@code ±1/sqrt(fanIn)}, {@code fanIn = C / groups * kH * kW}).
 * Spatial arguments are {@code (height, width)} pairs or one value for both.
 */
public class Conv2d extends AdaptableLayer {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;

    /** A square kernel, stride 1, no padding, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, Generator gen) {
        this(inChannels, outChannels, kernel, 1, 0, true, gen);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias, Generator gen) {
        this(inChannels, outChannels, new int[] {kernel}, new int[] {stride}, new int[] {padding}, new int[] {1}, 1, bias, gen);
    }

    public Conv2d(int inChannels, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias, Generator gen) {
        Objects.requireNonNull(gen, "Conv2d: generator");
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv2d: " + inChannels + " input and " + outChannels
                    + " output channels must both be divisible by " + groups + " groups");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = pair("kernel", kernel);
        this.stride = pair("stride", stride);
        this.padding = pair("padding", padding);
        this.dilation = pair("dilation", dilation);
        this.groups = groups;
        Parameter w = registerParameter("weight",
                new Parameter(Tensor.zeros(outChannels, inChannels / groups, this.kernel[0], this.kernel[1])));
        Parameter b = registerParameter("bias", bias ? new Parameter(Tensor.zeros(outChannels)) : null);
        Init.linearDefault(w.data(), b == null ? null : b.data(), gen);
    }

    static int[] pair(String what, int[] v) {
        if (v == null || v.length < 1 || v.length > 2) {
            throw new IllegalArgumentException("conv: " + what + " must have 1 or 2 values, got " + Arrays.toString(v));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    public Parameter weight() {
        return parameter("weight");
    }

    /** The bias, or null without one. */
    public Parameter bias() {
        return parameter("bias");
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    /** (height, width) of the kernel; likewise {@link #stride}, {@link #padding}, {@link #dilation} (copies). */
    public int[] kernelSize() {
        return kernel.clone();
    }

    public int[] stride() {
        return stride.clone();
    }

    public int[] padding() {
        return padding.clone();
    }

    public int[] dilation() {
        return dilation.clone();
    }

    public int groups() {
        return groups;
    }

    @Override
    public Variable forward(Variable x) {
        Variable y = Conv2dFn.conv2d(x, weight(), bias(), stride, padding, dilation, groups);
        return adapted(x, y);
    }

    @Override
    public String toString() {
        return "Conv2d(" + inChannels + ", " + outChannels + ", kernel=" + Arrays.toString(kernel) + ", stride="
                + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding) + ", dilation=" + Arrays.toString(dilation)
                + ", groups=" + groups + ", bias=" + (bias() != null) + ")";
    }
}
