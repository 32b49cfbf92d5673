package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.autograd.Variable;
import io.tutti.tensor.Convolution;
import io.tutti.tensor.Tensor;

/**
 * {@code torch.nn.functional.conv1d} on inputs {@code (x [N, C, L], weight [O, C / groups, k])} or
 * {@code (x, weight, bias [O])}; backward as {@link Conv2dFn}, through the 1-d gradient helpers.
 */
public final class Conv1dFn extends Function {
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;

    public Conv1dFn(int stride, int padding, int dilation, int groups) {
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
    }

    /** Applies a convolution; {@code bias} may be null. */
    public static Variable conv1d(Variable x, Variable weight, Variable bias, int stride, int padding, int dilation, int groups) {
        Conv1dFn fn = new Conv1dFn(stride, padding, dilation, groups);
        return bias == null ? fn.apply(x, weight) : fn.apply(x, weight, bias);
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor bias = in.length > 2 ? in[2] : null;
        ctx.saveForBackward(in[0], in[1]);
        return Convolution.conv1d(in[0], in[1], bias, stride, padding, dilation, groups);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor x = ctx.saved(0);
        Tensor w = ctx.saved(1);
        Tensor gradX = ctx.needsInputGrad(0)
                ? Convolution.conv1dInputGrad(grad, w, x.shape(), stride, padding, dilation, groups) : null;
        Tensor gradW = ctx.needsInputGrad(1)
                ? Convolution.conv1dWeightGrad(x, grad, w.shape(), stride, padding, dilation, groups) : null;
        if (ctx.inputCount() == 2) {
            return grads(gradX, gradW);
        }
        Tensor gradB = ctx.needsInputGrad(2) ? grad.sum(new int[] {0, 2}, false) : null;
        return grads(gradX, gradW, gradB);
    }
}
