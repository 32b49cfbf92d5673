package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.autograd.Variable;
import io.tutti.tensor.Convolution;
import io.tutti.tensor.Tensor;

/**
 * {@code torch.nn.functional.conv2d} on inputs {@code (x [N, C, H, W], weight [O, C / groups, kH, kW])}
 * or {@code (x, weight, bias [O])}. Backward uses the tensor module's gradient helpers: the input
 * gradient folds {@code weightᵀ · grad}, the weight gradient sums {@code grad · unfold(x)ᵀ} over the
 * batch, and the bias gradient sums over batch and positions.
 *
 * <p>The functions behind {@code nn} layers carry an {@code Fn} suffix so that they do not shadow the
 * layer classes of the same PyTorch name ({@code io.tutti.nn.Conv2d}).
 */
public final class Conv2dFn extends Function {
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;

    /** Spatial arguments are {@code (height, width)} pairs or one value for both. */
    public Conv2dFn(int[] stride, int[] padding, int[] dilation, int groups) {
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
    }

    /** Applies a convolution; {@code bias} may be null. */
    public static Variable conv2d(Variable x, Variable weight, Variable bias, int[] stride, int[] padding, int[] dilation,
                                  int groups) {
        Conv2dFn fn = new Conv2dFn(stride, padding, dilation, groups);
        return bias == null ? fn.apply(x, weight) : fn.apply(x, weight, bias);
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        Tensor bias = in.length > 2 ? in[2] : null;
        ctx.saveForBackward(in[0], in[1]);
        return Convolution.conv2d(in[0], in[1], bias, stride, padding, dilation, groups);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        Tensor x = ctx.saved(0);
        Tensor w = ctx.saved(1);
        Tensor gradX = ctx.needsInputGrad(0)
                ? Convolution.conv2dInputGrad(grad, w, x.shape(), stride, padding, dilation, groups) : null;
        Tensor gradW = ctx.needsInputGrad(1)
                ? Convolution.conv2dWeightGrad(x, grad, w.shape(), stride, padding, dilation, groups) : null;
        if (ctx.inputCount() == 2) {
            return grads(gradX, gradW);
        }
        Tensor gradB = ctx.needsInputGrad(2) ? grad.sum(new int[] {0, 2, 3}, false) : null;
        return grads(gradX, gradW, gradB);
    }
}
