package io.tutti.tensor;

import java.util.Arrays;

/** Reductions over sets of axes, written over the backend's reduce and argReduce primitives. */
final class Reductions {
    private Reductions() {
    }

    static Tensor reduce(String name, ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        boolean[] mask = Shapes.axesMask(name, dims, x.dim());
        int[] keep = x.shape();
        for (int i = 0; i < keep.length; i++) {
            if (mask[i]) {
                if (keep[i] == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN)) {
                    throw new IllegalArgumentException(name + ": cannot reduce dimension " + i + " of size 0 in shape "
                            + Arrays.toString(x.shape()) + " (no identity)");
                }
                keep[i] = 1;
            }
        }
        Tensor out = Tensor.zeros(x.dtype(), x.device(), keep);
        x.backend().reduce(op, x, out);
        return keepDim ? out : out.reshape(dropMasked(x.shape(), mask));
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        requireFloating("mean", x);
        return reduce("mean", ReduceOp.SUM, x, dims, keepDim).div(count(x, dims));
    }

    static Tensor var(Tensor x, int[] dims, int correction, boolean keepDim) {
        requireFloating("var", x);
        Tensor centred = x.sub(mean(x, dims, true));
        double n = count(x, dims);
        return reduce("var", ReduceOp.SUM, centred.square(), dims, keepDim).div(Math.max(0, n - correction));
    }

    static Tensor logsumexp(Tensor x, int[] dims, boolean keepDim) {
        requireFloating("logsumexp", x);
        if (x.numel() == 0) {
            // log of an empty sum is -inf (and an empty result stays empty).
            return reduce("logsumexp", ReduceOp.SUM, x, dims, keepDim).fillInPlace(Double.NEGATIVE_INFINITY);
        }
        Tensor m = reduce("logsumexp", ReduceOp.MAX, x, dims, true);
        // An infinite maximum would give inf - inf; shifting by 0 there gives the right limit.
        m = m.maskedFill(m.abs().eq(Double.POSITIVE_INFINITY), 0);
        Tensor r = reduce("logsumexp", ReduceOp.SUM, x.sub(m).exp(), dims, true).log().add(m);
        return keepDim ? r : r.reshape(dropMasked(x.shape(), Shapes.axesMask("logsumexp", dims, x.dim())));
    }

    static Tensor norm(Tensor x, double p, int[] dims, boolean keepDim) {
        requireFloating("norm", x);
        if (p == 2) {
            return reduce("norm", ReduceOp.SUM, x.square(), dims, keepDim).sqrt();
        } else if (p == 1) {
            return reduce("norm", ReduceOp.SUM, x.abs(), dims, keepDim);
        } else if (p == Double.POSITIVE_INFINITY) {
            return reduce("norm", ReduceOp.MAX, x.abs(), dims, keepDim);
        } else if (p == Double.NEGATIVE_INFINITY) {
            return reduce("norm", ReduceOp.MIN, x.abs(), dims, keepDim);
        } else if (p == 0) {
            return reduce("norm", ReduceOp.SUM, x.ne(x.scalarLike(0)), dims, keepDim);
        } else if (p > 0) {
            return reduce("norm", ReduceOp.SUM, x.abs().pow(p), dims, keepDim).pow(1.0 / p);
        }
        throw new IllegalArgumentException("norm: p must be positive, 0 or infinite, got " + p);
    }

    static Tensor arg(String name, ReduceOp op, Tensor x, int dim, boolean keepDim) {
        int rank = Math.max(1, x.dim());
        Tensor in = x.dim() == 0 ? x.reshape(1) : x;
        int a = Shapes.axis(name, dim, rank);
        if (in.shape(a) == 0) {
            throw new IllegalArgumentException(name + ": dimension " + dim + " of shape " + Arrays.toString(x.shape()) + " is empty");
        }
        int[] keep = in.shape();
        keep[a] = 1;
        Tensor out = Tensor.zeros(DType.INT32, x.device(), keep);
        x.backend().argReduce(op, in, a, out);
        if (keepDim) {
            return x.dim() == 0 ? out.reshape() : out;
        }
        return out.reshape(Views.remove(in.shape(), a));
    }

    private static double count(Tensor x, int[] dims) {
        boolean[] mask = Shapes.axesMask("mean", dims, x.dim());
        double n = 1;
        for (int i = 0; i < mask.length; i++) {
            if (mask[i]) {
                n *= x.shape(i);
            }
        }
        return n;
    }

    private static int[] dropMasked(int[] shape, boolean[] mask) {
        int n = 0;
        for (boolean m : mask) {
            if (!m) {
                n++;
            }
        }
        int[] r = new int[n];
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!mask[i]) {
                r[k++] = shape[i];
            }
        }
        return r;
    }

    private static void requireFloating(String name, Tensor x) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(name + ": needs a floating tensor, got " + x.dtype()
                    + " (convert with to(DType.FLOAT32))");
        }
    }
}
