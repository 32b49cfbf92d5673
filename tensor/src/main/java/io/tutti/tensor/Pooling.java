package io.tutti.tensor;

import java.util.Arrays;

/**
 * Max, average and adaptive average pooling with PyTorch's semantics, and the backward helpers the
 * autograd functions call. Pooling treats every leading dimension as a batch of independent planes:
 * the 2-d pools take {@code [N, C, H, W]} or {@code [C, H, W]}, the 1-d pools {@code [N, C, L]} or
 * {@code [C, L]}.
 *
 * <p>The window pools unfold the planes (through {@link Backend#unfold2d}, so a backend's fused
 * kernel speeds them up too) and reduce over the kernel taps; adaptive pooling multiplies by
 * averaging matrices. Spatial arguments are {@code (height, width)} pairs or one value for both; a
 * null or empty stride means "equal to the kernel", as PyTorch's {@code stride=None}.
 */
public final class Pooling {
    private Pooling() {
    }

    /**
     * The result of a max pool: the maxima, and for each the int32 flat index of its element in the
     * input plane ({@code row * W + column}; for 1-d pools the position along L), as PyTorch's
     * {@code return_indices=True}.
     */
    public record MaxPoolResult(Tensor values, Tensor indices) {
    }

    // ------------------------------------------------------------------ max pooling

    /**
     * {@code torch.nn.functional.max_pool2d} with {@code return_indices=True}. Padding counts as
     * minus infinity and may be at most half the dilated kernel; with {@code ceilMode} a last,
     * partial window is added when it starts inside the input or its left padding.
     */
    public static MaxPoolResult maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        checkRank("maxPool2d", x, 2);
        return maxPool("maxPool2d", x, 2, kernel, stride, padding, dilation, ceilMode);
    }

    /** Max pool with a square kernel and stride equal to it, no padding. */
    public static MaxPoolResult maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, new int[] {kernel}, null, new int[] {0}, new int[] {1}, false);
    }

    /** {@code torch.nn.functional.max_pool1d} with {@code return_indices=True}; a stride of 0 means "equal to the kernel". */
    public static MaxPoolResult maxPool1d(Tensor x, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        checkRank("maxPool1d", x, 1);
        return maxPool("maxPool1d", x, 1, new int[] {1, kernel}, new int[] {1, stride == 0 ? kernel : stride},
                new int[] {0, padding}, new int[] {1, dilation}, ceilMode);
    }

    /**
     * The gradient of a max pool: each output's gradient is added to the input element its index
     * names (overlapping windows that share a maximum add up).
     */
    public static Tensor maxPool2dBackward(Tensor gradOut, Tensor indices, int[] inputShape) {
        checkInputShape("maxPool2dBackward", inputShape, 2);
        return maxPoolBackward("maxPool2dBackward", gradOut, indices, inputShape, 2);
    }

    /** The gradient of {@link #maxPool1d}; {@code inputShape} is {@code [N, C, L]} or {@code [C, L]}. */
    public static Tensor maxPool1dBackward(Tensor gradOut, Tensor indices, int[] inputShape) {
        checkInputShape("maxPool1dBackward", inputShape, 1);
        return maxPoolBackward("maxPool1dBackward", gradOut, indices, inputShape, 1);
    }

    private static MaxPoolResult maxPool(String op, Tensor x, int spatial, int[] kernel, int[] stride, int[] padding,
                                         int[] dilation, boolean ceilMode) {
        requireFloating(op, x);
        Plan p = Plan.of(op, spatial, x.shape(), kernel, stride, padding, dilation, ceilMode);
        MaxPoolResult r = x.backend().maxPool2d(p.planes(x), p.window, p.outH, p.outW);
        return new MaxPoolResult(p.unplanes(r.values()), p.unplanes(r.indices()));
    }

    /** The composite behind {@link Backend#maxPool2d}: pad with minus infinity, unfold, argmax over the taps. */
    static MaxPoolResult maxPoolPlanes(Tensor planes, Window2d window, int outH, int outW) {
        Plan p = new Plan(planes.shape(), 2, planes.shape(2), planes.shape(3), window, outH, outW);
        Tensor x = planes;
        Window2d w = p.window;
        // Pad with -inf ourselves (zero padding would win over negative values), overhang included.
        Tensor padded = p.planes(x).pad(new int[] {w.padW(), w.padW() + p.extraW, w.padH(), w.padH() + p.extraH},
                Double.NEGATIVE_INFINITY);
        Window2d unpadded = new Window2d(w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), 0, 0, w.dilationH(), w.dilationW());
        Tensor windows = x.backend().unfold2d(padded, unpadded);
        Tensor tap = windows.argmax(1, true);
        Tensor values = windows.gather(1, tap);
        int positions = p.positions();
        Tensor sources = p.sourceTable(x.device()).unsqueeze(0).expand(p.batch, w.taps(), positions);
        Tensor indices = sources.gather(1, tap);
        // A padding tap wins only when every real element is -inf; PyTorch then names the first real one.
        indices = Tensor.where(indices.lt(0), p.firstRealTable(x.device()), indices);
        return new MaxPoolResult(p.unplanes(values), p.unplanes(indices));
    }

    private static Tensor maxPoolBackward(String op, Tensor gradOut, Tensor indices, int[] inputShape, int spatial) {
        if (indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": indices must be int32, got " + indices.dtype());
        }
        if (!Arrays.equals(gradOut.shape(), indices.shape()) || gradOut.dim() != inputShape.length
                || !Arrays.equals(Arrays.copyOf(gradOut.shape(), gradOut.dim() - spatial),
                        Arrays.copyOf(inputShape, inputShape.length - spatial))) {
            throw new IllegalArgumentException(op + ": gradOut of shape " + Arrays.toString(gradOut.shape()) + " and indices of shape "
                    + Arrays.toString(indices.shape()) + " do not fit input shape " + Arrays.toString(inputShape));
        }
        int plane = 1;
        for (int i = inputShape.length - spatial; i < inputShape.length; i++) {
            plane *= inputShape[i];
        }
        int batch = Shapes.numel(inputShape) / Math.max(plane, 1);
        int positions = gradOut.numel() / Math.max(batch, 1);
        Tensor grad = gradOut.newZeros(batch, plane);
        grad.scatterAddInPlace(1, indices.reshape(batch, positions), gradOut.reshape(batch, positions));
        return grad.reshape(inputShape);
    }

    // ------------------------------------------------------------------ average pooling

    /**
     * {@code torch.nn.functional.avg_pool2d}: zero padding, and a divisor that counts the padding
     * when {@code countIncludePad} (PyTorch's default) but never the overhang {@code ceilMode} adds.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        checkRank("avgPool2d", x, 2);
        return avgPool("avgPool2d", x, 2, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /** Average pool with a square kernel and stride equal to it, no padding. */
    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, new int[] {kernel}, null, new int[] {0}, false, true);
    }

    /** {@code torch.nn.functional.avg_pool1d}; a stride of 0 means "equal to the kernel". */
    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        checkRank("avgPool1d", x, 1);
        return avgPool("avgPool1d", x, 1, new int[] {1, kernel}, new int[] {1, stride == 0 ? kernel : stride},
                new int[] {0, padding}, ceilMode, countIncludePad);
    }

    /** The gradient of {@link #avgPool2d}: each output's gradient, divided by its divisor, folded back over its window. */
    public static Tensor avgPool2dBackward(Tensor gradOut, int[] inputShape, int[] kernel, int[] stride, int[] padding,
                                           boolean ceilMode, boolean countIncludePad) {
        checkInputShape("avgPool2dBackward", inputShape, 2);
        return avgPoolBackward("avgPool2dBackward", 2, gradOut, inputShape, kernel, stride, padding, ceilMode, countIncludePad);
    }

    /** The gradient of {@link #avgPool1d}; {@code inputShape} is {@code [N, C, L]} or {@code [C, L]}. */
    public static Tensor avgPool1dBackward(Tensor gradOut, int[] inputShape, int kernel, int stride, int padding, boolean ceilMode,
                                           boolean countIncludePad) {
        checkInputShape("avgPool1dBackward", inputShape, 1);
        return avgPoolBackward("avgPool1dBackward", 1, gradOut, inputShape, new int[] {1, kernel},
                new int[] {1, stride == 0 ? kernel : stride}, new int[] {0, padding}, ceilMode, countIncludePad);
    }

    private static Tensor avgPool(String op, Tensor x, int spatial, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                  boolean countIncludePad) {
        requireFloating(op, x);
        Plan p = Plan.of(op, spatial, x.shape(), kernel, stride, padding, new int[] {1}, ceilMode);
        Tensor in = p.planes(x);
        if (p.extraH > 0 || p.extraW > 0) {
            in = in.pad(new int[] {0, p.extraW, 0, p.extraH}, 0);
        }
        Tensor sums = x.backend().unfold2d(in, p.window).sum(1, true);
        return p.unplanes(sums.div(p.divisors(countIncludePad, x.dtype(), x.device())));
    }

    private static Tensor avgPoolBackward(String op, int spatial, Tensor gradOut, int[] inputShape, int[] kernel, int[] stride, int[] padding,
                                          boolean ceilMode, boolean countIncludePad) {
        requireFloating(op, gradOut);
        Plan p = Plan.of(op, spatial, inputShape, kernel, stride, padding, new int[] {1}, ceilMode);
        int[] want = p.outputShape();
        if (!Arrays.equals(gradOut.shape(), want)) {
            throw new IllegalArgumentException(op + ": gradOut of shape " + Arrays.toString(gradOut.shape()) + " should be "
                    + Arrays.toString(want) + " for input shape " + Arrays.toString(inputShape));
        }
        Tensor perOutput = gradOut.reshape(p.batch, 1, p.positions()).div(p.divisors(countIncludePad, gradOut.dtype(),
                gradOut.device()));
        Tensor cols = perOutput.expand(p.batch, p.window.taps(), p.positions());
        Tensor folded = gradOut.backend().fold2d(cols, p.height + p.extraH, p.width + p.extraW, p.window);
        return folded.narrow(2, 0, p.height).narrow(3, 0, p.width).reshape(inputShape);
    }

    // ------------------------------------------------------------------ adaptive average pooling

    /**
     * {@code torch.nn.functional.adaptive_avg_pool2d}: output row {@code i} averages input rows
     * {@code floor(i * H / outH)} to {@code ceil((i + 1) * H / outH)} (exclusive), columns alike.
     * Computed as {@code A_h · x · A_wᵀ} with averaging matrices.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        checkRank("adaptiveAvgPool2d", x, 2);
        requireFloating("adaptiveAvgPool2d", x);
        checkAdaptiveSize("adaptiveAvgPool2d", x.shape(), outH, outW);
        Tensor ah = averagingMatrix(x.shape(-2), outH, x.dtype(), x.device());
        Tensor aw = averagingMatrix(x.shape(-1), outW, x.dtype(), x.device());
        return ah.matmul(x).matmul(aw.t());
    }

    /** {@code torch.nn.functional.adaptive_avg_pool1d} on {@code [N, C, L]} or {@code [C, L]}. */
    public static Tensor adaptiveAvgPool1d(Tensor x, int out) {
        checkRank("adaptiveAvgPool1d", x, 1);
        requireFloating("adaptiveAvgPool1d", x);
        checkAdaptiveSize("adaptiveAvgPool1d", x.shape(), 1, out);
        return x.matmul(averagingMatrix(x.shape(-1), out, x.dtype(), x.device()).t());
    }

    /** The gradient of {@link #adaptiveAvgPool2d}: {@code A_hᵀ · gradOut · A_w}. */
    public static Tensor adaptiveAvgPool2dBackward(Tensor gradOut, int[] inputShape) {
        checkInputShape("adaptiveAvgPool2dBackward", inputShape, 2);
        requireFloating("adaptiveAvgPool2dBackward", gradOut);
        checkAdaptiveGrad("adaptiveAvgPool2dBackward", gradOut, inputShape, 2);
        Tensor ah = averagingMatrix(inputShape[inputShape.length - 2], gradOut.shape(-2), gradOut.dtype(), gradOut.device());
        Tensor aw = averagingMatrix(inputShape[inputShape.length - 1], gradOut.shape(-1), gradOut.dtype(), gradOut.device());
        return ah.t().matmul(gradOut).matmul(aw);
    }

    /** The gradient of {@link #adaptiveAvgPool1d}. */
    public static Tensor adaptiveAvgPool1dBackward(Tensor gradOut, int[] inputShape) {
        checkInputShape("adaptiveAvgPool1dBackward", inputShape, 1);
        requireFloating("adaptiveAvgPool1dBackward", gradOut);
        checkAdaptiveGrad("adaptiveAvgPool1dBackward", gradOut, inputShape, 1);
        return gradOut.matmul(averagingMatrix(inputShape[inputShape.length - 1], gradOut.shape(-1), gradOut.dtype(),
                gradOut.device()));
    }

    /** Row {@code i} holds {@code 1 / (end - start)} over PyTorch's adaptive window {@code [start, end)}. */
    private static Tensor averagingMatrix(int in, int out, DType dtype, Device device) {
        double[] a = new double[Shapes.numel(out, in)];
        for (int i = 0; i < out; i++) {
            int start = (int) ((long) i * in / out);
            int end = (int) (((long) (i + 1) * in + out - 1) / out);
            for (int j = start; j < end; j++) {
                a[i * in + j] = 1.0 / (end - start);
            }
        }
        return onDevice(Tensor.of(a, out, in).to(dtype), device);
    }

    private static void checkAdaptiveSize(String op, int[] shape, int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(op + ": output size must be positive, got " + (op.endsWith("1d") ? outW
                    : "[" + outH + ", " + outW + "]") + " for input of shape " + Arrays.toString(shape));
        }
    }

    private static void checkAdaptiveGrad(String op, Tensor gradOut, int[] inputShape, int spatial) {
        int lead = inputShape.length - spatial;
        if (gradOut.dim() != inputShape.length
                || !Arrays.equals(Arrays.copyOf(gradOut.shape(), lead), Arrays.copyOf(inputShape, lead))) {
            throw new IllegalArgumentException(op + ": gradOut of shape " + Arrays.toString(gradOut.shape())
                    + " does not fit input shape " + Arrays.toString(inputShape));
        }
    }

    // ------------------------------------------------------------------ geometry

    /**
     * The sizes of one pooling call: the input seen as {@code [batch, 1, height, width]} planes, the
     * window, the output size, and how far {@code ceilMode}'s last window overhangs the right padding.
     */
    private static final class Plan {
        final int[] inputShape;
        final int spatial;
        final int batch;
        final int height;
        final int width;
        final Window2d window;
        final int outH;
        final int outW;
        final int extraH;
        final int extraW;

        private Plan(int[] inputShape, int spatial, int height, int width, Window2d window, int outH, int outW) {
            this.inputShape = inputShape;
            this.spatial = spatial;
            this.height = height;
            this.width = width;
            this.batch = Shapes.numel(inputShape) / Math.max(1, height * width);
            this.window = window;
            this.outH = outH;
            this.outW = outW;
            this.extraH = Math.max(0, (outH - 1) * window.strideH() + window.spanH() - (height + 2 * window.padH()));
            this.extraW = Math.max(0, (outW - 1) * window.strideW() + window.spanW() - (width + 2 * window.padW()));
        }

        /** A plan for {@code spatial} (1 or 2) pooled trailing dimensions of {@code inputShape}. */
        static Plan of(String op, int spatial, int[] inputShape, int[] kernel, int[] stride, int[] padding, int[] dilation,
                       boolean ceilMode) {
            int[] plane = {spatial == 2 ? inputShape[inputShape.length - 2] : 1, inputShape[inputShape.length - 1]};
            int[] s = stride == null || stride.length == 0 ? kernel : stride;
            Window2d w = Convolution.window(op, kernel, s, padding, dilation);
            if (w.padH() > w.spanH() / 2 || w.padW() > w.spanW() / 2) {
                throw new IllegalArgumentException(op + ": padding [" + w.padH() + ", " + w.padW()
                        + "] must be at most half the dilated kernel [" + w.spanH() + ", " + w.spanW() + "]");
            }
            int oh = outputSize(plane[0], w.padH(), w.spanH(), w.strideH(), ceilMode);
            int ow = outputSize(plane[1], w.padW(), w.spanW(), w.strideW(), ceilMode);
            if (oh <= 0 || ow <= 0) {
                throw new IllegalArgumentException(op + ": output size [" + oh + ", " + ow + "] is not positive for input of shape "
                        + Arrays.toString(inputShape) + " with " + w);
            }
            return new Plan(inputShape.clone(), spatial, plane[0], plane[1], w, oh, ow);
        }

        /** PyTorch's pooling output size: floor or ceil, but a last window must start inside the input or left padding. */
        private static int outputSize(int size, int pad, int span, int stride, boolean ceilMode) {
            int out = Math.floorDiv(size + 2 * pad - span + (ceilMode ? stride - 1 : 0), stride) + 1;
            if (ceilMode && (out - 1) * stride >= size + pad) {
                out--;
            }
            return out;
        }

        int positions() {
            return outH * outW;
        }

        Tensor planes(Tensor x) {
            return x.reshape(batch, 1, height, width);
        }

        int[] outputShape() {
            int[] shape = inputShape.clone();
            shape[shape.length - 1] = outW;
            if (spatial == 2) {
                shape[shape.length - 2] = outH;
            }
            return shape;
        }

        /** {@code [batch, *, L]} back to the input's leading dimensions and {@code [outH, outW]}. */
        Tensor unplanes(Tensor t) {
            return t.reshape(outputShape());
        }

        /** Flat input index of every (tap, position), or -1 where the tap falls on padding. */
        Tensor sourceTable(Device device) {
            int taps = window.taps();
            int[] table = new int[taps * positions()];
            for (int ki = 0; ki < window.kernelH(); ki++) {
                for (int kj = 0; kj < window.kernelW(); kj++) {
                    int t = ki * window.kernelW() + kj;
                    for (int i = 0; i < outH; i++) {
                        int r = i * window.strideH() - window.padH() + ki * window.dilationH();
                        for (int j = 0; j < outW; j++) {
                            int c = j * window.strideW() - window.padW() + kj * window.dilationW();
                            boolean real = r >= 0 && r < height && c >= 0 && c < width;
                            table[t * positions() + i * outW + j] = real ? r * width + c : -1;
                        }
                    }
                }
            }
            return onDevice(Tensor.of(table, taps, positions()), device);
        }

        /** PyTorch's fallback index per position: the first tap that is not padding. */
        Tensor firstRealTable(Device device) {
            int[] table = new int[positions()];
            for (int i = 0; i < outH; i++) {
                int r = firstReal(i * window.strideH() - window.padH(), window.dilationH());
                for (int j = 0; j < outW; j++) {
                    table[i * outW + j] = r * width + firstReal(j * window.strideW() - window.padW(), window.dilationW());
                }
            }
            return onDevice(Tensor.of(table, 1, 1, positions()), device);
        }

        private static int firstReal(int start, int dilation) {
            int s = start;
            while (s < 0) {
                s += dilation;
            }
            return s;
        }

        /** Per position: the window's size clipped to the padded input, or to the real input when padding is not counted. */
        Tensor divisors(boolean countIncludePad, DType dtype, Device device) {
            double[] d = new double[positions()];
            for (int i = 0; i < outH; i++) {
                int hs = i * window.strideH() - window.padH();
                int he = Math.min(hs + window.kernelH(), height + window.padH());
                for (int j = 0; j < outW; j++) {
                    int ws = j * window.strideW() - window.padW();
                    int we = Math.min(ws + window.kernelW(), width + window.padW());
                    int count = countIncludePad ? (he - hs) * (we - ws)
                            : (Math.min(he, height) - Math.max(hs, 0)) * (Math.min(we, width) - Math.max(ws, 0));
                    d[i * outW + j] = Math.max(count, 1);
                }
            }
            return onDevice(Tensor.of(d, positions()).to(dtype), device);
        }
    }

    // ------------------------------------------------------------------ argument checks

    /** A pool over {@code spatial} trailing dimensions takes one or two leading (batch, channel) dimensions. */
    private static void checkRank(String op, Tensor x, int spatial) {
        if (x.dim() != spatial + 1 && x.dim() != spatial + 2) {
            throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(x.shape()) + " must be "
                    + (spatial == 2 ? "3-d [C, H, W] or 4-d [N, C, H, W]" : "2-d [C, L] or 3-d [N, C, L]"));
        }
    }

    private static void checkInputShape(String op, int[] inputShape, int spatial) {
        if (inputShape.length != spatial + 1 && inputShape.length != spatial + 2) {
            throw new IllegalArgumentException(op + ": input shape " + Arrays.toString(inputShape) + " must have " + (spatial + 1)
                    + " or " + (spatial + 2) + " dimensions");
        }
    }

    private static void requireFloating(String op, Tensor x) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": needs a floating tensor, got " + x.dtype());
        }
    }

    private static Tensor onDevice(Tensor t, Device device) {
        return device.isCpu() ? t : t.to(device);
    }
}
