package io.tutti.tensor;

/**
 * The service-provider interface every compute backend implements: a deliberately small set of
 * primitives over strided tensors. Everything else a {@link Tensor} can do (broadcasting, views,
 * softmax, convolution through unfold, pooling, norms) is written once on top of these, so a new
 * backend gets the whole library by implementing this interface.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Outputs are allocated by the caller and passed in; a backend never resizes anything.</li>
 *   <li>Inputs may be arbitrary strided views (transposed, sliced, expanded with stride 0).
 *       Broadcasting has already been resolved: operands of {@link #binary} have the output's
 *       shape, with stride 0 along broadcast dimensions.</li>
 *   <li>Outputs are written through their strides too, but never overlap themselves. An output may
 *       be exactly the same view as an input (in-place updates); other overlaps are not allowed.</li>
 *   <li>The caller has checked shapes and dtypes; backends may assume them valid.</li>
 * </ul>
 *
 * <p>A backend may also override the default methods at the end of this interface with fused
 * kernels; the test suite checks each override against the composite it replaces.
 */
public interface Backend {

    /** A short name for logs and errors ({@code reference}, {@code simd}, {@code opencl:...}). */
    String name();

    /** Allocates zero-filled storage for {@code size} elements on this backend's device. */
    Storage allocate(DType dtype, int size);

    /** Copies host data to this backend's device (identity for CPU backends). */
    Storage fromHost(CpuStorage host);

    /** Copies device data to the host (identity for CPU backends). */
    CpuStorage toHost(Storage storage);

    /** {@code dst[i] = (dst.dtype) src[i]}: strided copy with dtype conversion; shapes are equal. */
    void copy(Tensor src, Tensor dst);

    /** Sets every element of {@code dst} to {@code value}. */
    void fill(Tensor dst, double value);

    /** {@code out[i] = op(x[i])}; shapes equal, dtypes equal. */
    void unary(UnaryOp op, Tensor x, Tensor out);

    /**
     * {@code out[i] = op(a[i], b[i])}; {@code a} and {@code b} have the output's shape (expanded) and
     * the same dtype, which is the output's dtype.
     */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** {@code out[i] = cond[i] != 0 ? a[i] : b[i]}; all of the output's shape, a, b and out one dtype. */
    void where(Tensor cond, Tensor a, Tensor b, Tensor out);

    /**
     * Reduces {@code x} into {@code out}, which has x's rank with size 1 on every reduced axis and x's
     * size elsewhere. An axis is reduced exactly when out's size there is 1 and x's is not 1 (a size-1
     * axis reduces to itself either way). Accumulation is at least in the output's precision.
     */
    void reduce(ReduceOp op, Tensor x, Tensor out);

    /**
     * Index of the largest ({@code op == MAX}) or smallest ({@code MIN}) element along {@code axis};
     * {@code out} is int32 with x's rank and size 1 on {@code axis}. Ties give the first index; NaN
     * counts as the extreme value, as in PyTorch.
     */
    void argReduce(ReduceOp op, Tensor x, int axis, Tensor out);

    /**
     * Batched matrix product {@code out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]}. All three have
     * the same rank (at least 2) and the same batch dimensions (expanded where broadcast). Either
     * operand may be a transposed view; backends read it in place.
     */
    void matmul(Tensor a, Tensor b, Tensor out);

    /** {@code out[...i_d...] = x[... index[...i_d...] ...]} along {@code dim}; index is int32, out has index's shape. */
    void gather(Tensor x, int dim, Tensor index, Tensor out);

    /** {@code out[... index[...i_d...] ...] += src[...i_d...]} along {@code dim}; index and src have one shape. */
    void scatterAdd(Tensor out, int dim, Tensor index, Tensor src);

    /** Picks whole slices: {@code out} is {@code x} with size {@code index.numel()} along {@code dim}; index is 1-d int32. */
    void indexSelect(Tensor x, int dim, Tensor index, Tensor out);

    /** The adjoint of {@link #indexSelect}: {@code out.narrow(dim, index[i], 1) += src.narrow(dim, i, 1)}. */
    void indexAdd(Tensor out, int dim, Tensor index, Tensor src);

    /**
     * Fills {@code out} (contiguous) with uniform numbers in [lo, hi) from the counter-based stream
     * {@code (seed, offset)}: element {@code i} is a pure function of seed and {@code offset + i}, so
     * results do not depend on threads or backend.
     */
    void randomUniform(Tensor out, long seed, long offset, double lo, double hi);

    /** Like {@link #randomUniform} with normal numbers of the given mean and standard deviation. */
    void randomNormal(Tensor out, long seed, long offset, double mean, double std);

    // ---- optional fused kernels: defaults are the composites over the primitives above ----

    /** Softmax along {@code dim}; the default is exp(x - max) / sum. */
    default Tensor softmax(Tensor x, int dim) {
        return Composites.softmax(x, dim);
    }

    /** Log-softmax along {@code dim}; the default is x - max - log(sum(exp(x - max))). */
    default Tensor logSoftmax(Tensor x, int dim) {
        return Composites.logSoftmax(x, dim);
    }

    /**
     * The gradient of {@link #softmax} along {@code dim} from its result {@code y} and the result's
     * gradient {@code grad} (same shape, floating); the default is {@link Composites#softmaxBackward}.
     */
    default Tensor softmaxBackward(Tensor y, Tensor grad, int dim) {
        return Composites.softmaxBackward(y, grad, dim);
    }

    /**
     * Unfold (im2col, {@code torch.nn.functional.unfold}): {@code x [N, C, H, W]} becomes
     * {@code [N, C * kH * kW, L]}, column {@code l} holding the zero-padded window at position
     * {@code l} (row-major over output positions), rows ordered by channel, then kernel row, then
     * kernel column. The caller has checked that {@code L > 0}. The default pads and gathers
     * through a cached index map.
     */
    default Tensor unfold2d(Tensor x, Window2d window) {
        return Im2col.unfold(x, window);
    }

    /**
     * Fold (col2im, {@code torch.nn.functional.fold}), the adjoint of {@link #unfold2d}: sums the
     * columns of {@code cols [N, C * kH * kW, L]} back into {@code [N, C, height, width]}, dropping
     * what falls on the padding. The caller has checked that L matches the geometry.
     */
    default Tensor fold2d(Tensor cols, int height, int width, Window2d window) {
        return Im2col.fold(cols, height, width, window);
    }

    /**
     * Convolution ({@code torch.nn.functional.conv2d}) of {@code x [N, C, H, W]} with
     * {@code weight [O, C / groups, kH, kW]} plus an optional {@code bias [O]} (null for none), giving
     * {@code [N, O, outH, outW]}. The caller has checked the shapes. The default unfolds and
     * multiplies ({@link ConvolutionByUnfold}).
     */
    default Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d window, int groups) {
        return ConvolutionByUnfold.forward(x, weight, bias, window, groups);
    }

    /**
     * The gradient of {@link #conv2d} with respect to its input of shape {@code inputShape}, given
     * the output's gradient. The caller has checked the shapes. The default is
     * {@code fold(weightᵀ · gradOut)}.
     */
    default Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, Window2d window, int groups) {
        return ConvolutionByUnfold.inputGrad(gradOut, weight, inputShape, window, groups);
    }

    /**
     * The gradient of {@link #conv2d} with respect to its weight of shape {@code weightShape}, given
     * the input and the output's gradient. The caller has checked the shapes. The default sums
     * {@code gradOut · unfold(x)ᵀ} over the batch.
     */
    default Tensor conv2dWeightGrad(Tensor x, Tensor gradOut, int[] weightShape, Window2d window, int groups) {
        return ConvolutionByUnfold.weightGrad(x, gradOut, weightShape, window, groups);
    }

    /**
     * Max pooling of {@code planes [B, 1, H, W]} into {@code outH x outW} window positions, padding
     * counting as minus infinity, positions past the padded input ({@code ceil_mode}'s overhang)
     * ignored. Returns values and int32 flat input indices ({@code row * W + column}), both
     * {@code [B, 1, outH, outW]}; ties and NaN as in {@link #argReduce}, and a window whose real
     * elements are all minus infinity names its first real element, as PyTorch. The caller has
     * checked the geometry. The default unfolds and takes the argmax over the taps.
     */
    default Pooling.MaxPoolResult maxPool2d(Tensor planes, Window2d window, int outH, int outW) {
        return Pooling.maxPoolPlanes(planes, window, outH, outW);
    }

    /**
     * Layer norm ({@code torch.nn.functional.layer_norm}) over the last {@code normalizedDims}
     * dimensions, with optional {@code weight} and {@code bias} of the normalised shape, returning
     * the output and the row statistics. The caller has checked the shapes. The default is
     * {@link Composites#layerNorm}.
     */
    default Normalization.LayerNormOutput layerNorm(Tensor x, int normalizedDims, Tensor weight, Tensor bias, double eps) {
        return Composites.layerNorm(x, normalizedDims, weight, bias, eps);
    }

    /**
     * The gradients of {@link #layerNorm} with respect to the input (when {@code inputGrad}) and to
     * the weight and bias (when {@code affineGrads}), given the forward pass's statistics. The
     * caller has checked the shapes. The default is {@link Composites#layerNormBackward}.
     */
    default Normalization.LayerNormGrads layerNormBackward(Tensor grad, Tensor x, Tensor mean, Tensor invStd, Tensor weight,
            int normalizedDims, boolean inputGrad, boolean affineGrads) {
        return Composites.layerNormBackward(grad, x, mean, invStd, weight, normalizedDims, inputGrad, affineGrads);
    }
}
