package io.tutti.autograd;

import io.tutti.tensor.Tensor;

/**
 * One differentiable operation: {@link #forward} computes the result from plain tensors and saves,
 * through the {@link Context}, whatever {@link #backward} will need; {@code backward} turns the
 * gradient of the result into one gradient per input, written with {@link Tensor} operations so that
 * it runs on whatever backend holds the data.
 *
 * <p>An instance stands for one application of the op: parameters that are not tensors (dimensions,
 * scalars) are constructor arguments, and {@link #apply} may be called once. The built-in ops live in
 * {@code io.tutti.autograd.functions}; {@link Variable}'s methods create and apply them. User code can
 * add its own op the same way.
 */
public abstract class Function {
    private boolean applied;

    /**
     * Computes the result. {@code inputs} are the data of the variables passed to {@link #apply}, in
     * order; save tensors for backward with {@link Context#saveForBackward}.
     */
    protected abstract Tensor forward(Context ctx, Tensor... inputs);

    /**
     * The gradient of the loss with respect to each input, given its gradient with respect to the
     * result. Returns one entry per input, in order; an entry may be {@code null} when
     * {@link Context#needsInputGrad} is false for that input (indices, masks, constants). A gradient
     * must have its input's shape: reduce broadcast gradients with {@link #sumToShape}.
     */
    protected abstract Tensor[] backward(Context ctx, Tensor grad);

    /**
     * Whether this op is a view of part of its only input (a slice), so that the input's gradient
     * is the result's gradient on {@link #partOfInput} and zero elsewhere. When such an input also
     * gets gradients from other ops, the engine adds the result's gradient into that part of the
     * running sum instead of having {@link #backward} build a whole, mostly zero, tensor to be
     * summed. False by default.
     */
    protected boolean viewsPartOfInput() {
        return false;
    }

    /** For an op that {@link #viewsPartOfInput}: the same part of {@code whole}, a tensor of the input's shape. */
    protected Tensor partOfInput(Tensor whole) {
        throw new UnsupportedOperationException(name() + ": not a view of part of its input");
    }

    /** The op's name in errors and anomaly reports: the class name with a lower-case first letter ({@code logSoftmax}). */
    public String name() {
        String s = getClass().getSimpleName();
        return s.isEmpty() ? "function" : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    /** Runs the op on {@code inputs} and, when gradients are being recorded, links the result into the graph. */
    public final Variable apply(Variable... inputs) {
        if (applied) {
            throw new IllegalStateException(name() + ": a Function instance is applied once; create a new one for each call");
        }
        applied = true;
        return Engine.apply(this, inputs);
    }

    /**
     * Sums a gradient that was broadcast from {@code shape} back down to {@code shape}: over the
     * leading dimensions broadcasting added, and over every dimension where {@code shape} has size 1.
     */
    public static Tensor sumToShape(Tensor grad, int[] shape) {
        int lead = grad.dim() - shape.length;
        if (lead < 0) {
            throw new IllegalArgumentException("sumToShape: gradient of rank " + grad.dim() + " cannot reduce to shape "
                    + java.util.Arrays.toString(shape));
        }
        int count = 0;
        int[] dims = new int[grad.dim()];
        for (int i = 0; i < grad.dim(); i++) {
            if (i < lead || (shape[i - lead] == 1 && grad.shape(i) != 1)) {
                dims[count++] = i;
            }
        }
        if (count == 0) {
            return grad;
        }
        return grad.sum(java.util.Arrays.copyOf(dims, count), true).reshape(shape);
    }

    /** Packs per-input gradients: {@code return grads(gradA, gradB);}. */
    protected static Tensor[] grads(Tensor... perInput) {
        return perInput;
    }
}
