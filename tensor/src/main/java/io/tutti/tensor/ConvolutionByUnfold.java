package io.tutti.tensor;

/**
 * The composite convolution that {@link Backend#conv2d}, {@link Backend#conv2dInputGrad} and
 * {@link Backend#conv2dWeightGrad} default to: unfold and batched matrix products, so every backend
 * runs it.
 *
 * <h2>How a grouped convolution becomes one batched matmul</h2>
 * Unfolding {@code x [N, C, H, W]} gives {@code cols [N, C * kH * kW, L]} whose rows are ordered by
 * channel first, so the rows of group {@code g} (channels {@code g * C/G .. (g+1) * C/G - 1}) are one
 * contiguous block. Hence {@code cols.reshape(N, G, C/G * kH * kW, L)} splits the groups without
 * copying, the weight {@code [O, C/G, kH, kW]} reshapes to {@code [G, O/G, C/G * kH * kW]}, and
 * {@code weight.matmul(cols)} broadcasts over the batch to {@code [N, G, O/G, L]}, which is the
 * output {@code [N, O, outH, outW]} after a reshape. The gradients reuse the same reshapes: the input
 * gradient is {@code fold(weightᵀ · gradOut)} and the weight gradient is
 * {@code sum over N of gradOut · colsᵀ}.
 */
final class ConvolutionByUnfold {
    private ConvolutionByUnfold() {
    }

    static Tensor forward(Tensor x, Tensor weight, Tensor bias, Window2d window, int groups) {
        Shape s = new Shape(x.shape(), weight.shape(), window, groups);
        Tensor cols = x.backend().unfold2d(x, window).reshape(s.batch, groups, s.rowsPerGroup, s.positions);
        Tensor out = weight.reshape(groups, s.outChannels / groups, s.rowsPerGroup).matmul(cols)
                .reshape(s.batch, s.outChannels, s.outH, s.outW);
        return bias == null ? out : out.add(bias.reshape(1, s.outChannels, 1, 1));
    }

    static Tensor inputGrad(Tensor gradOut, Tensor weight, int[] inputShape, Window2d window, int groups) {
        Shape s = new Shape(inputShape, weight.shape(), window, groups);
        Tensor grad = gradOut.reshape(s.batch, groups, s.outChannels / groups, s.positions);
        Tensor cols = weight.reshape(groups, s.outChannels / groups, s.rowsPerGroup).mT().matmul(grad)
                .reshape(s.batch, s.rowsPerGroup * groups, s.positions);
        return cols.backend().fold2d(cols, inputShape[2], inputShape[3], window);
    }

    static Tensor weightGrad(Tensor x, Tensor gradOut, int[] weightShape, Window2d window, int groups) {
        Shape s = new Shape(x.shape(), weightShape, window, groups);
        Tensor cols = x.backend().unfold2d(x, window).reshape(s.batch, groups, s.rowsPerGroup, s.positions);
        Tensor grad = gradOut.reshape(s.batch, groups, s.outChannels / groups, s.positions);
        return grad.matmul(cols.mT()).sum(0, false).reshape(weightShape);
    }

    /** The sizes the three products need, from shapes the caller has already checked. */
    private static final class Shape {
        final int batch;
        final int outChannels;
        final int rowsPerGroup;
        final int outH;
        final int outW;
        final int positions;

        Shape(int[] inputShape, int[] weightShape, Window2d window, int groups) {
            batch = inputShape[0];
            outChannels = weightShape[0];
            rowsPerGroup = inputShape[1] / groups * window.taps();
            outH = window.outputHeight(inputShape[2]);
            outW = window.outputWidth(inputShape[3]);
            positions = outH * outW;
        }
    }
}
