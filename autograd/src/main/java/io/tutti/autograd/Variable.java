package io.tutti.autograd;

import io.tutti.autograd.functions.Abs;
import io.tutti.autograd.functions.Add;
import io.tutti.autograd.functions.Cat;
import io.tutti.autograd.functions.Clamp;
import io.tutti.autograd.functions.Clone;
import io.tutti.autograd.functions.Div;
import io.tutti.autograd.functions.Exp;
import io.tutti.autograd.functions.Expand;
import io.tutti.autograd.functions.Gather;
import io.tutti.autograd.functions.Gelu;
import io.tutti.autograd.functions.GeluTanh;
import io.tutti.autograd.functions.IndexSelect;
import io.tutti.autograd.functions.Log;
import io.tutti.autograd.functions.LogSoftmax;
import io.tutti.autograd.functions.Logsumexp;
import io.tutti.autograd.functions.MaskedFill;
import io.tutti.autograd.functions.Matmul;
import io.tutti.autograd.functions.Max;
import io.tutti.autograd.functions.Maximum;
import io.tutti.autograd.functions.Mean;
import io.tutti.autograd.functions.Min;
import io.tutti.autograd.functions.Minimum;
import io.tutti.autograd.functions.Mul;
import io.tutti.autograd.functions.Neg;
import io.tutti.autograd.functions.Norm;
import io.tutti.autograd.functions.Pad;
import io.tutti.autograd.functions.Permute;
import io.tutti.autograd.functions.Pow;
import io.tutti.autograd.functions.Prod;
import io.tutti.autograd.functions.Reciprocal;
import io.tutti.autograd.functions.Relu;
import io.tutti.autograd.functions.Reshape;
import io.tutti.autograd.functions.Rsqrt;
import io.tutti.autograd.functions.Sigmoid;
import io.tutti.autograd.functions.Silu;
import io.tutti.autograd.functions.Slice;
import io.tutti.autograd.functions.Softmax;
import io.tutti.autograd.functions.Sqrt;
import io.tutti.autograd.functions.Square;
import io.tutti.autograd.functions.Sub;
import io.tutti.autograd.functions.Sum;
import io.tutti.autograd.functions.Tanh;
import io.tutti.autograd.functions.ToDType;
import io.tutti.autograd.functions.Var;
import io.tutti.autograd.functions.Where;
import io.tutti.tensor.DType;
import io.tutti.tensor.Device;
import io.tutti.tensor.Shapes;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor that autograd tracks: its {@link #data()}, the gradient of the last backward passes with
 * respect to it ({@link #grad()}), whether it {@link #requiresGrad()}, and the op that made it
 * ({@link #gradFn()}, null for a leaf).
 *
 * <p>It has the differentiable operations of {@link Tensor}, with PyTorch's names. While gradients
 * are enabled (see {@link Autograd#noGrad()}), an op whose inputs include one that requires a
 * gradient records itself, and its result requires a gradient too. Operations whose results cannot
 * be differentiated (comparisons, argmax) return plain tensors.
 *
 * <p>Leaves keep their gradients across backward calls, summing them as PyTorch does; clear them
 * with {@link #zeroGrad()}. The class is not final so that {@code nn}'s {@code Parameter} can extend it.
 */
public class Variable {
    private final Tensor data;
    private final Context gradFn;
    private Context accumulator;
    private boolean requiresGrad;
    private Tensor grad;

    /** A constant: a leaf that does not require a gradient. */
    public Variable(Tensor data) {
        this(data, false);
    }

    /** A leaf; only floating tensors can require a gradient. */
    public Variable(Tensor data, boolean requiresGrad) {
        if (data == null) {
            throw new IllegalArgumentException("Variable: data is null");
        }
        this.data = data;
        this.gradFn = null;
        requiresGrad(requiresGrad);
    }

    /** The result of a recorded op. */
    Variable(Tensor data, Context gradFn) {
        this.data = data;
        this.gradFn = gradFn;
        this.requiresGrad = true;
    }

    // ------------------------------------------------------------------ autograd state

    public Tensor data() {
        return data;
    }

    /** The summed gradient of the backward passes so far, or null. Filled for leaves and for {@link #retainGrad()} variables. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it); it must have this variable's shape. */
    public void grad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape(), data.shape())) {
            throw new IllegalArgumentException("grad: gradient of shape " + Arrays.toString(g.shape()) + " for a variable of shape "
                    + Arrays.toString(data.shape()));
        }
        grad = g;
    }

    /** Clears the gradient (sets it to null, like PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        grad = null;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Sets whether this leaf requires a gradient ({@code requires_grad_}); returns this. */
    public Variable requiresGrad(boolean requires) {
        if (gradFn != null) {
            if (!requires) {
                throw new IllegalStateException("requiresGrad: only leaves can change it; use detach() to cut a result from the graph");
            }
            return this;
        }
        if (requires && !data.dtype().isFloating()) {
            throw new IllegalArgumentException("requiresGrad: only floating tensors can require gradients, this one is " + data.dtype());
        }
        requiresGrad = requires;
        return this;
    }

    /** Whether this variable was created by the user rather than by a recorded op. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The op that made this variable, or null for a leaf. */
    public Function gradFn() {
        return gradFn == null ? null : gradFn.function;
    }

    /** The same data, cut from the graph: a leaf that does not require a gradient. */
    public Variable detach() {
        return new Variable(data);
    }

    /** The node gradients for this variable flow into: its op's context, or a leaf's accumulator. */
    Context node() {
        if (gradFn != null) {
            return gradFn;
        }
        if (accumulator == null) {
            accumulator = Context.forLeaf(this);
        }
        return accumulator;
    }

    void accumulateGrad(Tensor g) {
        if (grad == null) {
            grad = g.copy();   // an owned, contiguous copy: an optimizer may update it in place
        } else if (grad.hasOverlap()) {
            grad = grad.add(g);
        } else {
            grad.addInPlace(g);
        }
    }

    /**
     * Calls {@code hook} with the gradient with respect to this variable each time one is computed;
     * a non-null return value replaces the gradient. For a leaf the hook runs before the gradient is
     * added to {@link #grad()}.
     */
    public HookHandle registerHook(java.util.function.Function<Tensor, Tensor> hook) {
        if (!requiresGrad) {
            throw new IllegalStateException("registerHook: cannot register a hook on a variable that does not require grad");
        }
        Context n = node();
        n.addHook(hook);
        return () -> n.hooks.remove(hook);
    }

    /** Makes backward keep this non-leaf variable's gradient in {@link #grad()}, as leaves do. */
    public Variable retainGrad() {
        if (gradFn != null) {
            registerHook(g -> {
                accumulateGrad(g);
                return null;
            });
        }
        return this;
    }

    /** Backpropagates from this one-element variable (usually a loss), freeing the graph afterwards. */
    public void backward() {
        Engine.backward(this, null, false);
    }

    /** Backpropagates {@code grad}, the gradient with respect to this variable, freeing the graph afterwards. */
    public void backward(Tensor grad) {
        Engine.backward(this, grad, false);
    }

    /** Backpropagates {@code grad} (null for a one-element variable); {@code retainGraph} keeps the graph for another pass. */
    public void backward(Tensor grad, boolean retainGraph) {
        Engine.backward(this, grad, retainGraph);
    }

    // ------------------------------------------------------------------ properties

    public int[] shape() {
        return data.shape();
    }

    public int shape(int dim) {
        return data.shape(dim);
    }

    public int dim() {
        return data.dim();
    }

    public int numel() {
        return data.numel();
    }

    public DType dtype() {
        return data.dtype();
    }

    public Device device() {
        return data.device();
    }

    /** The value of a one-element variable. */
    public double item() {
        return data.item();
    }

    private Variable constant(double value) {
        return new Variable(data.scalarLike(value));
    }

    // ------------------------------------------------------------------ elementwise

    public Variable add(Variable other) {
        return new Add().apply(this, other);
    }

    public Variable add(Tensor other) {
        return add(new Variable(other));
    }

    public Variable add(double value) {
        return add(constant(value));
    }

    public Variable sub(Variable other) {
        return new Sub().apply(this, other);
    }

    public Variable sub(Tensor other) {
        return sub(new Variable(other));
    }

    public Variable sub(double value) {
        return sub(constant(value));
    }

    public Variable mul(Variable other) {
        return new Mul().apply(this, other);
    }

    public Variable mul(Tensor other) {
        return mul(new Variable(other));
    }

    public Variable mul(double value) {
        return mul(constant(value));
    }

    public Variable div(Variable other) {
        return new Div().apply(this, other);
    }

    public Variable div(Tensor other) {
        return div(new Variable(other));
    }

    public Variable div(double value) {
        return div(constant(value));
    }

    public Variable pow(Variable exponent) {
        return new Pow().apply(this, exponent);
    }

    public Variable pow(double exponent) {
        return pow(constant(exponent));
    }

    public Variable maximum(Variable other) {
        return new Maximum().apply(this, other);
    }

    public Variable minimum(Variable other) {
        return new Minimum().apply(this, other);
    }

    /** Clamps into [lo, hi]; the gradient passes where lo <= x <= hi. Infinities give a one-sided clamp. */
    public Variable clamp(double lo, double hi) {
        return new Clamp(lo, hi).apply(this);
    }

    public Variable neg() {
        return new Neg().apply(this);
    }

    public Variable exp() {
        return new Exp().apply(this);
    }

    public Variable log() {
        return new Log().apply(this);
    }

    public Variable sqrt() {
        return new Sqrt().apply(this);
    }

    public Variable rsqrt() {
        return new Rsqrt().apply(this);
    }

    public Variable reciprocal() {
        return new Reciprocal().apply(this);
    }

    public Variable square() {
        return new Square().apply(this);
    }

    public Variable abs() {
        return new Abs().apply(this);
    }

    /** The sign (-1, 0, 1) as a constant: its derivative is zero almost everywhere. */
    public Variable sign() {
        return new Variable(data.sign());
    }

    public Variable tanh() {
        return new Tanh().apply(this);
    }

    public Variable sigmoid() {
        return new Sigmoid().apply(this);
    }

    public Variable relu() {
        return new Relu().apply(this);
    }

    /** GELU, exact erf form. */
    public Variable gelu() {
        return new Gelu().apply(this);
    }

    /** GELU, tanh approximation. */
    public Variable geluTanh() {
        return new GeluTanh().apply(this);
    }

    public Variable silu() {
        return new Silu().apply(this);
    }

    /** {@code value} where {@code mask} (broadcast, non-zero means true) is set; no gradient flows there. */
    public Variable maskedFill(Tensor mask, double value) {
        return new MaskedFill(value).apply(this, new Variable(mask));
    }

    /** {@code a} where {@code cond} is non-zero, else {@code b}, with broadcasting. */
    public static Variable where(Tensor cond, Variable a, Variable b) {
        return new Where().apply(new Variable(cond), a, b);
    }

    // ------------------------------------------------------------------ comparisons (not differentiable)

    public Tensor eq(Variable other) {
        return data.eq(other.data);
    }

    public Tensor ne(Variable other) {
        return data.ne(other.data);
    }

    public Tensor lt(Variable other) {
        return data.lt(other.data);
    }

    public Tensor le(Variable other) {
        return data.le(other.data);
    }

    public Tensor gt(Variable other) {
        return data.gt(other.data);
    }

    public Tensor ge(Variable other) {
        return data.ge(other.data);
    }

    public Tensor argmax(int dim, boolean keepDim) {
        return data.argmax(dim, keepDim);
    }

    public Tensor argmax() {
        return data.argmax();
    }

    public Tensor argmin(int dim, boolean keepDim) {
        return data.argmin(dim, keepDim);
    }

    public Tensor argmin() {
        return data.argmin();
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements, as a 0-d variable. */
    public Variable sum() {
        return new Sum(null, false).apply(this);
    }

    /** Sum over {@code dims} (empty: all). */
    public Variable sum(int[] dims, boolean keepDim) {
        return new Sum(dims, keepDim).apply(this);
    }

    public Variable sum(int dim, boolean keepDim) {
        return sum(new int[] {dim}, keepDim);
    }

    public Variable mean() {
        return new Mean(null, false).apply(this);
    }

    public Variable mean(int[] dims, boolean keepDim) {
        return new Mean(dims, keepDim).apply(this);
    }

    public Variable mean(int dim, boolean keepDim) {
        return mean(new int[] {dim}, keepDim);
    }

    public Variable prod(int[] dims, boolean keepDim) {
        return new Prod(dims, keepDim).apply(this);
    }

    /** The largest element; on ties the gradient is shared evenly, as {@code torch.amax}. */
    public Variable max() {
        return new Max(null, false).apply(this);
    }

    public Variable max(int[] dims, boolean keepDim) {
        return new Max(dims, keepDim).apply(this);
    }

    public Variable max(int dim, boolean keepDim) {
        return max(new int[] {dim}, keepDim);
    }

    public Variable min() {
        return new Min(null, false).apply(this);
    }

    public Variable min(int[] dims, boolean keepDim) {
        return new Min(dims, keepDim).apply(this);
    }

    public Variable min(int dim, boolean keepDim) {
        return min(new int[] {dim}, keepDim);
    }

    /** Variance with correction {@code correction} (1: unbiased, PyTorch's default). */
    public Variable var(int[] dims, int correction, boolean keepDim) {
        return new Var(dims, correction, keepDim).apply(this);
    }

    public Variable std(int[] dims, int correction, boolean keepDim) {
        return var(dims, correction, keepDim).sqrt();
    }

    public Variable logsumexp(int[] dims, boolean keepDim) {
        return new Logsumexp(dims, keepDim).apply(this);
    }

    /** The p-norm over {@code dims} (empty: all). */
    public Variable norm(double p, int[] dims, boolean keepDim) {
        return new Norm(p, dims, keepDim).apply(this);
    }

    /** The 2-norm of all elements. */
    public Variable norm() {
        return norm(2, null, false);
    }

    // ------------------------------------------------------------------ linear algebra and nn

    /** Matrix product with {@code torch.matmul}'s rules (1-d operands, batch broadcasting). */
    public Variable matmul(Variable other) {
        return new Matmul().apply(this, other);
    }

    public Variable softmax(int dim) {
        return new Softmax(dim).apply(this);
    }

    public Variable logSoftmax(int dim) {
        return new LogSoftmax(dim).apply(this);
    }

    // ------------------------------------------------------------------ shape and views

    public Variable reshape(int... shape) {
        return new Reshape(shape, false).apply(this);
    }

    /** Like {@link #reshape} but fails where the tensor's layout would need a copy. */
    public Variable view(int... shape) {
        return new Reshape(shape, true).apply(this);
    }

    public Variable flatten() {
        return reshape(numel());
    }

    public Variable flatten(int start, int end) {
        return reshape(data.flatten(start, end).shape());
    }

    public Variable permute(int... order) {
        return new Permute(order).apply(this);
    }

    public Variable transpose(int dim0, int dim1) {
        int rank = dim();
        int a = Shapes.axis("transpose", dim0, rank);
        int b = Shapes.axis("transpose", dim1, rank);
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            order[i] = i;
        }
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Transpose of a 2-d variable (lower ranks unchanged). */
    public Variable t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t: expects at most 2 dimensions, got shape " + Arrays.toString(shape()));
        }
        return dim() < 2 ? this : transpose(0, 1);
    }

    /** Transposes the last two dimensions. */
    public Variable mT() {
        if (dim() < 2) {
            throw new IllegalArgumentException("mT: needs at least 2 dimensions, got shape " + Arrays.toString(shape()));
        }
        return transpose(-2, -1);
    }

    public Variable squeeze() {
        return reshape(data.squeeze().shape());
    }

    public Variable squeeze(int dim) {
        return reshape(data.squeeze(dim).shape());
    }

    public Variable unsqueeze(int dim) {
        return reshape(data.unsqueeze(dim).shape());
    }

    /** Broadcasts to {@code shape} (-1 keeps a size); the gradient is summed back. */
    public Variable expand(int... shape) {
        return new Expand(shape).apply(this);
    }

    public Variable narrow(int dim, int start, int length) {
        int a = Shapes.axis("narrow", dim, dim());
        int s = start < 0 ? start + shape(a) : start;
        data.narrow(a, s, length);   // checks the range with the tensor's message
        return slice(a, s, s + length, 1);
    }

    /** Elements start, start+step, ... below end along {@code dim}, like {@code x[start:end:step]}. */
    public Variable slice(int dim, int start, int end, int step) {
        return new Slice(dim, start, end, step).apply(this);
    }

    /** The slice at {@code index} along {@code dim}, with that dimension removed. */
    public Variable select(int dim, int index) {
        int a = Shapes.axis("select", dim, dim());
        int i = index < 0 ? index + shape(a) : index;
        data.select(a, i);   // checks the index with the tensor's message
        return slice(a, i, i + 1, 1).squeeze(a);
    }

    public static Variable cat(int dim, List<Variable> parts) {
        return new Cat(dim).apply(parts.toArray(new Variable[0]));
    }

    public static Variable cat(int dim, Variable... parts) {
        return new Cat(dim).apply(parts);
    }

    public static Variable stack(int dim, List<Variable> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("stack: needs at least one variable");
        }
        int[] shape = parts.get(0).shape();
        int a = Shapes.axis("stack", dim, shape.length + 1);
        List<Variable> lifted = new ArrayList<>(parts.size());
        for (Variable v : parts) {
            if (!Arrays.equals(v.shape(), shape)) {
                throw new IllegalArgumentException("stack: all shapes must be equal, got " + Arrays.toString(shape) + " and "
                        + Arrays.toString(v.shape()));
            }
            lifted.add(v.unsqueeze(a));
        }
        return cat(a, lifted);
    }

    public static Variable stack(int dim, Variable... parts) {
        return stack(dim, Arrays.asList(parts));
    }

    /** Pieces of {@code size} along {@code dim} (the last may be smaller). */
    public List<Variable> split(int size, int dim) {
        List<Variable> parts = new ArrayList<>();
        int a = Shapes.axis("split", dim, dim());
        int start = 0;
        for (Tensor piece : data.split(size, a)) {
            parts.add(narrow(a, start, piece.shape(a)));
            start += piece.shape(a);
        }
        return parts;
    }

    /** Pieces of the given sizes along {@code dim}. */
    public List<Variable> split(int[] sizes, int dim) {
        List<Variable> parts = new ArrayList<>();
        int a = Shapes.axis("split", dim, dim());
        data.split(sizes, a);   // checks the sizes
        int start = 0;
        for (int s : sizes) {
            parts.add(narrow(a, start, s));
            start += s;
        }
        return parts;
    }

    public List<Variable> chunk(int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        }
        int n = shape(dim);
        return split(Math.max(1, (n + chunks - 1) / chunks), dim);
    }

    /** Constant padding with (before, after) pairs from the last dimension, as {@code F.pad}. */
    public Variable pad(int[] pads, double value) {
        return new Pad(pads, value).apply(this);
    }

    public Variable gather(int dim, Tensor index) {
        return new Gather(dim).apply(this, new Variable(index));
    }

    public Variable indexSelect(int dim, Tensor index) {
        return new IndexSelect(dim).apply(this, new Variable(index));
    }

    /** This variable if its data is contiguous, else a contiguous copy. */
    public Variable contiguous() {
        return data.isContiguous() ? this : copy();
    }

    /** A copy that shares no storage ({@code torch.clone}); the gradient passes through unchanged. */
    public Variable copy() {
        return new Clone().apply(this);
    }

    /** This variable in another dtype (itself if already there); gradients come back in the original dtype. */
    public Variable to(DType dtype) {
        return dtype == dtype() ? this : new ToDType(dtype).apply(this);
    }

    @Override
    public String toString() {
        String fn = gradFn == null ? (requiresGrad ? ", requiresGrad" : "") : ", gradFn=" + gradFn.name();
        return "Variable(" + data + fn + ")";
    }
}
