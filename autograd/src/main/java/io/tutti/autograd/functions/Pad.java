package io.tutti.autograd.functions;

import io.tutti.autograd.Context;
import io.tutti.autograd.Function;
import io.tutti.tensor.Tensor;

/** Constant padding; the gradient is the output gradient cropped back, which is padding by the negated amounts. */
public final class Pad extends Function {
    private final int[] pads;
    private final double value;

    public Pad(int[] pads, double value) {
        this.pads = pads.clone();
        this.value = value;
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        return in[0].pad(pads, value);
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        int[] crop = new int[pads.length];
        for (int i = 0; i < pads.length; i++) {
            crop[i] = -pads[i];
        }
        return grads(grad.pad(crop, 0));
    }
}
