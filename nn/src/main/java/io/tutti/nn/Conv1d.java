package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.Conv1dFn;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.Objects;

/**
 * {@code torch.nn.Conv1d}: {@code x [N, C, L]} to {@code [N, O, outL]} with
 * {@code weight [O, C / groups, k]} and {@code bias [O]}, zero padding; PyTorch's default
 * initialisation (uniform in {@code ±1/sqrt(C / groups * k)}).
 */
public class Conv1d extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;

    public Conv1d(int inChannels, int outChannels, int kernel, Generator gen) {
        this(inChannels, outChannels, kernel, 1, 0, 1, 1, true, gen);
    }

    public Conv1d(int inChannels, int outChannels, int kernel, int stride, int padding, int dilation, int groups, boolean bias,
                  Generator gen) {
        Objects.requireNonNull(gen, "Conv1d: generator");
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("Conv1d: " + inChannels + " input and " + outChannels
                    + " output channels must both be divisible by " + groups + " groups");
        }
        if (kernel <= 0) {
            throw new IllegalArgumentException("Conv1d: kernel must be positive, got " + kernel);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        Parameter w = registerParameter("weight", new Parameter(Tensor.zeros(outChannels, inChannels / groups, kernel)));
        Parameter b = registerParameter("bias", bias ? new Parameter(Tensor.zeros(outChannels)) : null);
        Init.linearDefault(w.data(), b == null ? null : b.data(), gen);
    }

    public Parameter weight() {
        return parameter("weight");
    }

    /** The bias, or null without one. */
    public Parameter bias() {
        return parameter("bias");
    }

    @Override
    public Variable forward(Variable x) {
        return Conv1dFn.conv1d(x, weight(), bias(), stride, padding, dilation, groups);
    }

    @Override
    public String toString() {
        return "Conv1d(" + inChannels + ", " + outChannels + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding
                + ", dilation=" + dilation + ", groups=" + groups + ", bias=" + (bias() != null) + ")";
    }
}
