package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Pooling;
import io.tutti.tensor.Tensor;

/**
 * {@code torch.nn.functional.adaptive_avg_pool2d} on {@code [N, C, H, W]} or {@code [C, H, W]}. The
 * pool is linear, {@code A_h · x · A_wᵀ}, so backward is its transpose {@code A_hᵀ · grad · A_w}.
 */
public final class AdaptiveAvgPool2dFn extends Function {
    private final int outH;
    private final int outW;

    public AdaptiveAvgPool2dFn(int outH, int outW) {
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return Pooling.adaptiveAvgPool2d(in[0], outH, outW);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        return grads(Pooling.adaptiveAvgPool2dBackward(grad, ctx.inputShape(0)));
    }
}
