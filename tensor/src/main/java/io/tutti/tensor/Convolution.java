package io.tutti.tensor;

import java.util.Arrays;

/**
 * Convolution as PyTorch defines it (cross-correlation): the argument checks and the entry points
 * of conv1d and conv2d and their gradients. The arithmetic is the backend's ({@link Backend#conv2d}
 * and its two gradients): by default unfold and matrix products ({@link ConvolutionByUnfold}),
 * which a backend may replace with a direct kernel.
 *
 * <p>Spatial arguments ({@code stride}, {@code padding}, {@code dilation}, {@code kernel}) are
 * {@code (height, width)} pairs; a single value is used for both, as in PyTorch.
 */
public final class Convolution {
    private Convolution() {
    }

    // ------------------------------------------------------------------ unfold and fold

    /** {@code torch.nn.functional.unfold}: {@code x [N, C, H, W]} to {@code [N, C * kH * kW, L]}. */
    public static Tensor unfold2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        return unfold2d("unfold2d", x, window("unfold2d", kernel, stride, padding, dilation));
    }

    /** {@link #unfold2d(Tensor, int[], int[], int[], int[])} with the geometry given as a {@link Window2d}. */
    public static Tensor unfold2d(Tensor x, Window2d window) {
        return unfold2d("unfold2d", x, window);
    }

    /**
     * {@code torch.nn.functional.fold}: sums the columns of {@code cols [N, C * kH * kW, L]} into
     * {@code [N, C, outputSize[0], outputSize[1]]}, adding where windows overlap. It is the adjoint
     * of {@link #unfold2d}: {@code <unfold(x), y> == <x, fold(y)>}.
     */
    public static Tensor fold2d(Tensor cols, int[] outputSize, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        return fold2d("fold2d", cols, pair("fold2d", "outputSize", outputSize), window("fold2d", kernel, stride, padding, dilation));
    }

    /** {@link #fold2d(Tensor, int[], int[], int[], int[], int[])} with the geometry given as a {@link Window2d}. */
    public static Tensor fold2d(Tensor cols, int[] outputSize, Window2d window) {
        return fold2d("fold2d", cols, pair("fold2d", "outputSize", outputSize), window);
    }

    /** One-dimensional unfold: {@code x [N, C, length]} to {@code [N, C * kernel, L]}. */
    public static Tensor unfold1d(Tensor x, int kernel, int stride, int padding, int dilation) {
        requireRank("unfold1d", "input", x, 3, "[N, C, L]");
        return unfold2d("unfold1d", x.unsqueeze(2), window1d("unfold1d", kernel, stride, padding, dilation));
    }

    /** One-dimensional fold, the adjoint of {@link #unfold1d}: {@code [N, C * kernel, L]} to {@code [N, C, length]}. */
    public static Tensor fold1d(Tensor cols, int length, int kernel, int stride, int padding, int dilation) {
        return fold2d("fold1d", cols, new int[] {1, length}, window1d("fold1d", kernel, stride, padding, dilation)).squeeze(2);
    }

    static Tensor unfold2d(String op, Tensor x, Window2d w) {
        requireRank(op, "input", x, 4, "[N, C, H, W]");
        outputSize(op, x.shape(2), x.shape(3), w);
        return x.backend().unfold2d(x, w);
    }

    static Tensor fold2d(String op, Tensor cols, int[] size, Window2d w) {
        requireRank(op, "input", cols, 3, "[N, C * kH * kW, L]");
        if (cols.shape(1) % w.taps() != 0) {
            throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(cols.shape()) + " has " + cols.shape(1)
                    + " rows, not a multiple of the " + w.taps() + " kernel taps of " + w);
        }
        int[] out = outputSize(op, size[0], size[1], w);
        if (cols.shape(2) != out[0] * out[1]) {
            throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(cols.shape()) + " has " + cols.shape(2)
                    + " columns but output size " + Arrays.toString(size) + " with " + w + " has " + out[0] + " x " + out[1]
                    + " = " + out[0] * out[1] + " window positions");
        }
        return cols.backend().fold2d(cols, size[0], size[1], w);
    }

    // ------------------------------------------------------------------ convolution

    /**
     * {@code torch.nn.functional.conv2d}: {@code x [N, C, H, W]} with {@code weight [O, C / groups, kH, kW]}
     * and an optional {@code bias [O]} (null for none) gives {@code [N, O, outH, outW]}.
     */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv2d("conv2d", x, weight, bias, stride, padding, dilation, groups);
    }

    /** {@link #conv2d(Tensor, Tensor, Tensor, int[], int[], int[], int)} with square stride and padding, no dilation, one group. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, new int[] {stride}, new int[] {padding}, new int[] {1}, 1);
    }

    /**
     * {@code torch.nn.functional.conv1d}: {@code x [N, C, L]} with {@code weight [O, C / groups, k]}
     * and an optional {@code bias [O]} gives {@code [N, O, outL]}.
     */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        requireRank("conv1d", "input", x, 3, "[N, C, L]");
        requireRank("conv1d", "weight", weight, 3, "[out_channels, in_channels / groups, k]");
        return conv2d("conv1d", x.unsqueeze(2), weight.unsqueeze(2), bias, new int[] {1, stride}, new int[] {0, padding},
                new int[] {1, dilation}, groups).squeeze(2);
    }

    private static Tensor conv2d(String op, Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                 int groups) {
        Geometry g = Geometry.check(op, x.shape(), weight.shape(), stride, padding, dilation, groups);
        if (bias != null && (bias.dim() != 1 || bias.shape(0) != g.outChannels)) {
            throw new IllegalArgumentException(op + ": bias of shape " + Arrays.toString(bias.shape()) + " must be ["
                    + g.outChannels + "] for a weight of shape " + Arrays.toString(weight.shape()));
        }
        return x.backend().conv2d(x, weight, bias, g.window, groups);
    }

    /**
     * The gradient of {@link #conv2d} with respect to its input: {@code fold(weightᵀ · gradOut)}.
     * {@code inputShape} is the input's {@code [N, C, H, W]} (needed because strided convolution
     * can drop trailing rows and columns).
     */
    public static Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, int[] stride, int[] padding,
                                         int[] dilation, int groups) {
        return conv2dInputGrad("conv2dInputGrad", gradOut, weight, inputShape, stride, padding, dilation, groups);
    }

    /**
     * The gradient of {@link #conv2d} with respect to its weight: the sum over the batch of
     * {@code gradOut · unfold(x)ᵀ}, per group. {@code weightShape} is {@code [O, C / groups, kH, kW]}.
     */
    public static Tensor conv2dWeightGrad(Tensor x, Tensor gradOut, int[] weightShape, int[] stride, int[] padding,
                                          int[] dilation, int groups) {
        requireRank("conv2dWeightGrad", "input", x, 4, "[N, C, H, W]");
        Geometry g = Geometry.check("conv2dWeightGrad", x.shape(), weightShape, stride, padding, dilation, groups);
        g.checkGradOut("conv2dWeightGrad", gradOut);
        return x.backend().conv2dWeightGrad(x, gradOut, weightShape, g.window, groups);
    }

    /** The gradient of {@link #conv1d} with respect to its input {@code [N, C, L]}. */
    public static Tensor conv1dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, int stride, int padding, int dilation,
                                         int groups) {
        requireRank("conv1dInputGrad", "gradOut", gradOut, 3, "[N, O, L]");
        requireRank("conv1dInputGrad", "weight", weight, 3, "[out_channels, in_channels / groups, k]");
        if (inputShape.length != 3) {
            throw new IllegalArgumentException("conv1dInputGrad: input shape " + Arrays.toString(inputShape) + " must be [N, C, L]");
        }
        int[] shape2d = {inputShape[0], inputShape[1], 1, inputShape[2]};
        return conv2dInputGrad("conv1dInputGrad", gradOut.unsqueeze(2), weight.unsqueeze(2), shape2d, new int[] {1, stride},
                new int[] {0, padding}, new int[] {1, dilation}, groups).squeeze(2);
    }

    /** The gradient of {@link #conv1d} with respect to its weight {@code [O, C / groups, k]}. */
    public static Tensor conv1dWeightGrad(Tensor x, Tensor gradOut, int[] weightShape, int stride, int padding, int dilation,
                                          int groups) {
        requireRank("conv1dWeightGrad", "input", x, 3, "[N, C, L]");
        requireRank("conv1dWeightGrad", "gradOut", gradOut, 3, "[N, O, L]");
        if (weightShape.length != 3) {
            throw new IllegalArgumentException("conv1dWeightGrad: weight shape " + Arrays.toString(weightShape)
                    + " must be [out_channels, in_channels / groups, k]");
        }
        int[] shape2d = {weightShape[0], weightShape[1], 1, weightShape[2]};
        return conv2dWeightGrad(x.unsqueeze(2), gradOut.unsqueeze(2), shape2d, new int[] {1, stride}, new int[] {0, padding},
                new int[] {1, dilation}, groups).squeeze(2);
    }

    private static Tensor conv2dInputGrad(String op, Tensor gradOut, Tensor weight, int[] inputShape, int[] stride, int[] padding,
                                          int[] dilation, int groups) {
        if (inputShape.length != 4) {
            throw new IllegalArgumentException(op + ": input shape " + Arrays.toString(inputShape) + " must be 4-d [N, C, H, W]");
        }
        Geometry g = Geometry.check(op, inputShape, weight.shape(), stride, padding, dilation, groups);
        g.checkGradOut(op, gradOut);
        return gradOut.backend().conv2dInputGrad(gradOut, weight, inputShape, g.window, groups);
    }

    /** The sizes of one convolution, checked once and shared by forward and both gradients. */
    private static final class Geometry {
        final int batch;
        final int inChannels;
        final int outChannels;
        final int groups;
        final Window2d window;
        final int outH;
        final int outW;

        private Geometry(int batch, int inChannels, int outChannels, int groups, Window2d window, int outH, int outW) {
            this.batch = batch;
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.groups = groups;
            this.window = window;
            this.outH = outH;
            this.outW = outW;
        }

        static Geometry check(String op, int[] inputShape, int[] weightShape, int[] stride, int[] padding, int[] dilation,
                              int groups) {
            if (inputShape.length != 4) {
                throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(inputShape)
                        + " must be 4-d [N, C, H, W]");
            }
            if (weightShape.length != 4) {
                throw new IllegalArgumentException(op + ": weight of shape " + Arrays.toString(weightShape)
                        + " must be 4-d [out_channels, in_channels / groups, kH, kW]");
            }
            if (groups <= 0) {
                throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
            }
            int c = inputShape[1];
            int o = weightShape[0];
            if (c % groups != 0) {
                throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(inputShape) + " has " + c
                        + " channels, not divisible by " + groups + " groups");
            }
            if (o % groups != 0) {
                throw new IllegalArgumentException(op + ": weight of shape " + Arrays.toString(weightShape) + " has " + o
                        + " output channels, not divisible by " + groups + " groups");
            }
            if (weightShape[1] != c / groups) {
                throw new IllegalArgumentException(op + ": weight has " + weightShape[1] + " input channels per group but input has "
                        + (groups == 1 ? String.valueOf(c) : c + " channels in " + groups + " groups (" + c / groups + " per group)"));
            }
            int[] kernel = {weightShape[2], weightShape[3]};
            Window2d w = window(op, kernel, stride, padding, dilation);
            int[] out = outputSize(op, inputShape[2], inputShape[3], w);
            return new Geometry(inputShape[0], c, o, groups, w, out[0], out[1]);
        }

        void checkGradOut(String op, Tensor gradOut) {
            int[] want = {batch, outChannels, outH, outW};
            if (!Arrays.equals(gradOut.shape(), want)) {
                throw new IllegalArgumentException(op + ": gradOut of shape " + Arrays.toString(gradOut.shape()) + " should be "
                        + Arrays.toString(want));
            }
        }
    }

    // ------------------------------------------------------------------ argument checks shared with pooling

    static Window2d window(String op, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        int[] k = pair(op, "kernel", kernel);
        int[] s = pair(op, "stride", stride);
        int[] p = pair(op, "padding", padding);
        int[] d = pair(op, "dilation", dilation);
        if (k[0] <= 0 || k[1] <= 0 || s[0] <= 0 || s[1] <= 0 || d[0] <= 0 || d[1] <= 0 || p[0] < 0 || p[1] < 0) {
            throw new IllegalArgumentException(op + ": kernel " + Arrays.toString(k) + ", stride " + Arrays.toString(s)
                    + " and dilation " + Arrays.toString(d) + " must be positive and padding " + Arrays.toString(p)
                    + " non-negative");
        }
        return Window2d.of(k, s, p, d);
    }

    static Window2d window1d(String op, int kernel, int stride, int padding, int dilation) {
        return window(op, new int[] {1, kernel}, new int[] {1, stride}, new int[] {0, padding}, new int[] {1, dilation});
    }

    /** A (height, width) pair from one value or two, as PyTorch's {@code _pair}. */
    static int[] pair(String op, String what, int[] v) {
        if (v == null || v.length == 0 || v.length > 2) {
            throw new IllegalArgumentException(op + ": " + what + " must have 1 or 2 values, got "
                    + (v == null ? "null" : Arrays.toString(v)));
        }
        return v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
    }

    /** The output height and width, or an error naming every size when the window does not fit. */
    static int[] outputSize(String op, int height, int width, Window2d w) {
        int oh = w.outputHeight(height);
        int ow = w.outputWidth(width);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": output size [" + oh + ", " + ow + "] is not positive for input size ["
                    + height + ", " + width + "] with " + w);
        }
        return new int[] {oh, ow};
    }

    static void requireRank(String op, String what, Tensor t, int rank, String layout) {
        if (t.dim() != rank) {
            throw new IllegalArgumentException(op + ": " + what + " of shape " + Arrays.toString(t.shape()) + " must be " + rank
                    + "-d " + layout);
        }
    }
}
