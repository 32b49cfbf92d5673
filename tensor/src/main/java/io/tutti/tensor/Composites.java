package io.tutti.tensor;

/**
 * Operations written once over the backend primitives. They are the defaults of {@link Backend}'s
 * optional fused kernels, and the test suite checks every fused override against them.
 */
public final class Composites {
    private Composites() {
    }

    /** exp(x - max) / sum(exp(x - max)) along {@code dim}; subtracting the max keeps exp from overflowing. */
    public static Tensor softmax(Tensor x, int dim) {
        if (x.numel() == 0) {
            return x.zerosLike();
        }
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        Tensor e = in.sub(in.max(dim, true)).exp();
        Tensor r = e.div(e.sum(dim, true));
        return x.dim() == 0 ? r.reshape() : r;
    }

    /** (x - max) - log(sum(exp(x - max))) along {@code dim}. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        if (x.numel() == 0) {
            return x.zerosLike();
        }
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        Tensor shifted = in.sub(in.max(dim, true));
        Tensor r = shifted.sub(shifted.exp().sum(dim, true).log());
        return x.dim() == 0 ? r.reshape() : r;
    }
}
