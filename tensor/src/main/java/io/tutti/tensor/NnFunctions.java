package io.tutti.tensor;

import java.util.Arrays;

/**
 * The small functional pieces of {@code nn} that are neither convolution, pooling nor
 * normalisation: embedding lookup (and its gradient), dropout masks, one-hot encoding, and the
 * softmax gradient.
 */
public final class NnFunctions {
    private NnFunctions() {
    }

    /**
     * {@code torch.nn.functional.embedding}: rows of {@code weight [V, D]} picked by int32
     * {@code indices} of any shape, giving {@code indices.shape + [D]}.
     */
    public static Tensor embedding(Tensor weight, Tensor indices) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: weight of shape " + Arrays.toString(weight.shape())
                    + " must be 2-d [num_embeddings, embedding_dim]");
        }
        Tensor flat = checkIndices("embedding", indices, weight.shape(0));
        return weight.indexSelect(0, flat).reshape(withLast(indices.shape(), weight.shape(1)));
    }

    /**
     * The gradient of {@link #embedding} with respect to the weight: each row of {@code gradOut}
     * ({@code indices.shape + [D]}) added into row {@code indices[...]} of a zero {@code [V, D]}.
     */
    public static Tensor embeddingBackward(Tensor gradOut, Tensor indices, int numEmbeddings) {
        Tensor flat = checkIndices("embeddingBackward", indices, numEmbeddings);
        if (gradOut.dim() != indices.dim() + 1
                || !Arrays.equals(Arrays.copyOf(gradOut.shape(), indices.dim()), indices.shape())) {
            throw new IllegalArgumentException("embeddingBackward: gradOut of shape " + Arrays.toString(gradOut.shape())
                    + " must be indices' shape " + Arrays.toString(indices.shape()) + " plus the embedding dimension");
        }
        int d = gradOut.shape(-1);
        Tensor grad = gradOut.newZeros(numEmbeddings, d);
        grad.backend().indexAdd(grad, 0, flat, gradOut.reshape(flat.numel(), d));
        return grad;
    }

    /**
     * The gradient of {@code y = x.softmax(dim)} with respect to x, from y and y's gradient:
     * {@code y * (grad - sum(grad * y, dim))}. Runs the backend's fused kernel
     * ({@link Backend#softmaxBackward}) where it has one.
     */
    public static Tensor softmaxBackward(Tensor y, Tensor grad, int dim) {
        if (!Arrays.equals(y.shape(), grad.shape()) || y.dtype() != grad.dtype() || !y.dtype().isFloating()) {
            throw new IllegalArgumentException("softmaxBackward: result " + Arrays.toString(y.shape()) + " " + y.dtype()
                    + " and gradient " + Arrays.toString(grad.shape()) + " " + grad.dtype() + " must be floating with one shape and dtype");
        }
        if (!y.device().equals(grad.device())) {
            throw new IllegalArgumentException("softmaxBackward: result and gradient are on different devices (" + y.device()
                    + " and " + grad.device() + ")");
        }
        if (y.dim() == 0) {
            return grad.zerosLike();   // the softmax of one element is the constant 1
        }
        return y.backend().softmaxBackward(y, grad, Shapes.axis("softmaxBackward", dim, y.dim()));
    }

    /**
     * A float32 dropout mask: each element is {@code 1 / (1 - p)} with probability {@code 1 - p}
     * and 0 otherwise, so that {@code x * mask} keeps the expected value of {@code x}. {@code p = 0}
     * gives ones and {@code p = 1} zeros; neither draws from the generator.
     */
    public static Tensor dropoutMask(Generator generator, double p, int... shape) {
        return dropoutMask(generator, p, DType.FLOAT32, shape);
    }

    /** {@link #dropoutMask(Generator, double, int...)} in a chosen floating dtype. */
    public static Tensor dropoutMask(Generator generator, double p, DType dtype, int... shape) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropoutMask: p must be in [0, 1], got " + p);
        }
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("dropoutMask: needs a floating dtype, got " + dtype);
        }
        if (p == 0) {
            return Tensor.ones(dtype, shape);
        }
        if (p == 1) {
            return Tensor.zeros(dtype, shape);
        }
        return generator.bernoulli(1 - p, dtype, shape).mul(1 / (1 - p));
    }

    /**
     * {@code torch.nn.functional.one_hot}: int32 {@code labels} of any shape to int32
     * {@code labels.shape + [classes]} with a 1 at each label. {@code classes = -1} uses the
     * largest label plus one.
     */
    public static Tensor oneHot(Tensor labels, int classes) {
        if (labels.dtype() != DType.INT32) {
            throw new IllegalArgumentException("oneHot: labels must be int32, got " + labels.dtype());
        }
        int n = classes;
        if (classes == -1) {
            n = labels.numel() == 0 ? 0 : (int) labels.max().item() + 1;
        } else if (classes <= 0) {
            throw new IllegalArgumentException("oneHot: classes must be positive or -1, got " + classes);
        }
        checkIndices("oneHot", labels, n);
        Tensor range = Tensor.arange(n);
        if (!labels.device().isCpu()) {
            range = range.to(labels.device());
        }
        return labels.unsqueeze(-1).eq(range);
    }

    /** Checks dtype and range; returns the indices flattened to 1-d. */
    private static Tensor checkIndices(String op, Tensor indices, int size) {
        if (indices.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": indices must be int32, got " + indices.dtype());
        }
        Tensor flat = indices.reshape(indices.numel());
        if (flat.numel() > 0) {
            int lo = (int) flat.min().item();
            int hi = (int) flat.max().item();
            if (lo < 0 || hi >= size) {
                throw new IndexOutOfBoundsException(op + ": index " + (lo < 0 ? lo : hi) + " is out of range for " + size
                        + (op.equals("oneHot") ? " classes" : " embeddings") + " (indices of shape "
                        + Arrays.toString(indices.shape()) + ")");
            }
        }
        return flat;
    }

    private static int[] withLast(int[] shape, int last) {
        int[] s = Arrays.copyOf(shape, shape.length + 1);
        s[shape.length] = last;
        return s;
    }
}
