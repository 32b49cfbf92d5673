package io.tutti.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array: a view (shape, strides, offset) onto a {@link Storage} of one
 * {@link DType}. Shapes never change after creation; views such as {@link #transpose},
 * {@link #narrow} or {@link #expand} share storage, and {@link #contiguous()} copies only when it must.
 *
 * <p>Operations follow PyTorch's names and NumPy's broadcasting. They run on the backend of the
 * tensor's device ({@link Device#backend()}); results are new tensors, except for methods whose
 * name ends in {@code InPlace}, which write into this tensor's storage (for optimizer updates).
 * Every operation checks its arguments and fails with an {@link IllegalArgumentException} that
 * names the operation and the shapes involved.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private final int numel;

    private Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.numel = Shapes.numel(shape);
    }

    // ------------------------------------------------------------------ construction

    /**
     * A view onto existing storage. Used by backends and readers; checks that every element the
     * view can address lies inside the storage.
     */
    public static Tensor view(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("view: shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in rank");
        }
        Tensor t = new Tensor(storage, shape.clone(), strides.clone(), offset);
        if (t.numel > 0) {
            long lo = offset;
            long hi = offset;
            for (int i = 0; i < shape.length; i++) {
                long span = (long) (shape[i] - 1) * strides[i];
                if (span < 0) {
                    lo += span;
                } else {
                    hi += span;
                }
            }
            if (lo < 0 || hi >= storage.size()) {
                throw new IllegalArgumentException("view: shape " + Arrays.toString(shape) + " strides "
                        + Arrays.toString(strides) + " offset " + offset + " reach outside storage of " + storage.size());
            }
        }
        return t;
    }

    /** A contiguous tensor over all of {@code storage}. */
    public static Tensor wrap(Storage storage, int... shape) {
        if (Shapes.numel(shape) != storage.size()) {
            throw new IllegalArgumentException("wrap: shape " + Arrays.toString(shape) + " holds " + Shapes.numel(shape)
                    + " elements but the storage holds " + storage.size());
        }
        return new Tensor(storage, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** A new zero-filled contiguous tensor on {@code device}. */
    public static Tensor zeros(DType dtype, Device device, int... shape) {
        int n = Shapes.numel(shape);
        Storage s = device.isCpu() ? CpuStorage.allocate(dtype, n) : device.backend().allocate(dtype, n);
        return new Tensor(s, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return zeros(dtype, Device.CPU, shape);
    }

    /** float32 zeros. */
    public static Tensor zeros(int... shape) {
        return zeros(DType.FLOAT32, Device.CPU, shape);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(1.0, dtype, shape);
    }

    /** float32 ones. */
    public static Tensor ones(int... shape) {
        return full(1.0, DType.FLOAT32, shape);
    }

    public static Tensor full(double value, DType dtype, int... shape) {
        Tensor t = zeros(dtype, shape);
        if (value != 0) {
            t.fillInPlace(value);
        }
        return t;
    }

    /** A 0-d float32 tensor. */
    public static Tensor scalar(double value) {
        return scalar(value, DType.FLOAT32);
    }

    public static Tensor scalar(double value, DType dtype) {
        Tensor t = zeros(dtype);
        ((CpuStorage) t.storage).set(0, value);
        return t;
    }

    /** 0, 1, ..., n-1 as int32. */
    public static Tensor arange(int n) {
        int[] v = new int[Math.max(n, 0)];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        return of(v, v.length);
    }

    /** start, start+step, ... below end (above it for negative step), as in {@code torch.arange}. */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0 || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        }
        long n = (long) Math.ceil((end - start) / step);
        if (n < 0) {
            n = 0;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arange: " + n + " elements is too many");
        }
        Tensor t = zeros(dtype, (int) n);
        CpuStorage s = (CpuStorage) t.storage;
        for (int i = 0; i < n; i++) {
            s.set(i, start + i * step);
        }
        return t;
    }

    /** The n-by-n identity. */
    public static Tensor eye(int n, DType dtype) {
        Tensor t = zeros(dtype, n, n);
        CpuStorage s = (CpuStorage) t.storage;
        for (int i = 0; i < n; i++) {
            s.set(i * n + i, 1);
        }
        return t;
    }

    /** A float32 tensor holding a copy of {@code data}. */
    public static Tensor of(float[] data, int... shape) {
        checkLength("of", data.length, shape);
        return wrap(CpuStorage.wrap(data.clone()), shape);
    }

    /** A float64 tensor holding a copy of {@code data}. */
    public static Tensor of(double[] data, int... shape) {
        checkLength("of", data.length, shape);
        return wrap(CpuStorage.wrap(data.clone()), shape);
    }

    /** An int32 tensor holding a copy of {@code data}. */
    public static Tensor of(int[] data, int... shape) {
        checkLength("of", data.length, shape);
        return wrap(CpuStorage.wrap(data.clone()), shape);
    }

    /** A 1-d float32 tensor. */
    public static Tensor vector(float... data) {
        return of(data, data.length);
    }

    private static void checkLength(String op, int length, int[] shape) {
        if (Shapes.numel(shape) != length) {
            throw new IllegalArgumentException(op + ": " + length + " values do not fill shape " + Arrays.toString(shape)
                    + " (" + Shapes.numel(shape) + " elements)");
        }
    }

    /** A zero-filled tensor with this tensor's dtype and device and the given shape. */
    public Tensor newZeros(int... shape) {
        return zeros(dtype(), device(), shape);
    }

    public Tensor zerosLike() {
        return zeros(dtype(), device(), shape);
    }

    public Tensor onesLike() {
        return fullLike(1.0);
    }

    public Tensor fullLike(double value) {
        Tensor t = zerosLike();
        if (value != 0) {
            t.fillInPlace(value);
        }
        return t;
    }

    // ------------------------------------------------------------------ properties

    public DType dtype() {
        return storage.dtype();
    }

    public int[] shape() {
        return shape.clone();
    }

    /** Size along {@code dim} (negative counts from the end). */
    public int shape(int dim) {
        return shape[Shapes.axis("shape", dim, shape.length)];
    }

    public int[] strides() {
        return strides.clone();
    }

    public int stride(int dim) {
        return strides[Shapes.axis("stride", dim, shape.length)];
    }

    public int offset() {
        return offset;
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return numel;
    }

    public Storage storage() {
        return storage;
    }

    public Device device() {
        return storage.device();
    }

    /** The backend that runs operations on this tensor. */
    public Backend backend() {
        return storage.device().backend();
    }

    /** Whether the elements are laid out densely in row-major order (size-1 dimensions' strides ignored). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1) {
                if (strides[i] != expected) {
                    return false;
                }
                expected *= shape[i];
            }
        }
        return true;
    }

    /** Whether two elements share storage (an expanded view); such a tensor cannot be written in place. */
    public boolean hasOverlap() {
        for (int i = 0; i < shape.length; i++) {
            if (strides[i] == 0 && shape[i] > 1) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ host access and conversion

    /** The elements in row-major order, converted to float. */
    public float[] toFloatArray() {
        Tensor t = host().to(DType.FLOAT32).contiguousCopyIfShared();
        return Arrays.copyOfRange(((CpuStorage) t.storage).floats(), t.offset, t.offset + numel);
    }

    /** The elements in row-major order, converted to double. */
    public double[] toDoubleArray() {
        Tensor t = host().to(DType.FLOAT64).contiguousCopyIfShared();
        return Arrays.copyOfRange(((CpuStorage) t.storage).doubles(), t.offset, t.offset + numel);
    }

    /** The elements in row-major order, converted to int (floats truncated toward zero). */
    public int[] toIntArray() {
        Tensor t = host().to(DType.INT32).contiguousCopyIfShared();
        return Arrays.copyOfRange(((CpuStorage) t.storage).ints(), t.offset, t.offset + numel);
    }

    private Tensor contiguousCopyIfShared() {
        return isContiguous() ? this : contiguous();
    }

    private Tensor host() {
        return device().isCpu() ? this : to(Device.CPU);
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel != 1) {
            throw new IllegalArgumentException("item: tensor of shape " + Arrays.toString(shape) + " has " + numel
                    + " elements, not 1");
        }
        return get(new int[shape.length]);
    }

    /** The element at a full index, widened to double. */
    public double get(int... index) {
        Tensor h = host();
        return ((CpuStorage) h.storage).get(h.flatOffset("get", index));
    }

    /** Sets the element at a full index (CPU tensors). */
    public void set(double value, int... index) {
        if (!device().isCpu()) {
            throw new IllegalStateException("set: element writes need a CPU tensor, this one is on " + device());
        }
        ((CpuStorage) storage).set(flatOffset("set", index), value);
    }

    private int flatOffset(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": index " + Arrays.toString(index) + " for shape " + Arrays.toString(shape));
        }
        int p = offset;
        for (int i = 0; i < index.length; i++) {
            int k = index[i] < 0 ? index[i] + shape[i] : index[i];
            if (k < 0 || k >= shape[i]) {
                throw new IndexOutOfBoundsException(op + ": index " + Arrays.toString(index) + " out of range for shape "
                        + Arrays.toString(shape));
            }
            p += k * strides[i];
        }
        return p;
    }

    /** This tensor in another dtype (itself when the dtype already matches). */
    public Tensor to(DType dtype) {
        if (dtype == dtype()) {
            return this;
        }
        Tensor out = zeros(dtype, device(), shape);
        backend().copy(this, out);
        return out;
    }

    /** This tensor on another device (itself when already there); the copy is contiguous. */
    public Tensor to(Device target) {
        if (target.equals(device())) {
            return this;
        }
        Tensor src = contiguous();
        CpuStorage host = device().isCpu() ? (CpuStorage) src.storage : backend().toHost(src.storage);
        // toHost copies the whole storage, so the view keeps its offset into it.
        Tensor onHost = new Tensor(host, shape.clone(), Shapes.contiguousStrides(shape), src.offset);
        if (onHost.offset != 0 || host.size() != numel) {
            onHost = onHost.copyToNewCpu();
            host = (CpuStorage) onHost.storage;
        }
        Storage moved = target.isCpu() ? host : target.backend().fromHost(host);
        return new Tensor(moved, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    private Tensor copyToNewCpu() {
        Tensor out = zeros(dtype(), Device.CPU, shape);
        Backends.reference().copy(this, out);
        return out;
    }

    /** A contiguous tensor with the same elements: this one if already contiguous, else a copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A contiguous copy that shares nothing with this tensor ({@code torch.clone}). */
    public Tensor copy() {
        Tensor out = zerosLike();
        backend().copy(this, out);
        return out;
    }

    // ------------------------------------------------------------------ views

    /**
     * The same elements in a new shape; one size may be -1 (inferred). Shares storage when the
     * strides allow it, and copies otherwise.
     */
    public Tensor reshape(int... newShape) {
        int[] target = inferShape("reshape", newShape);
        int[] newStrides = Views.viewStrides(shape, strides, target);
        if (newStrides != null) {
            return new Tensor(storage, target, newStrides, offset);
        }
        return copy().reshape(target);
    }

    /** Like {@link #reshape} but fails instead of copying. */
    public Tensor view(int... newShape) {
        int[] target = inferShape("view", newShape);
        int[] newStrides = Views.viewStrides(shape, strides, target);
        if (newStrides == null) {
            throw new IllegalArgumentException("view: shape " + Arrays.toString(shape) + " with strides " + Arrays.toString(strides)
                    + " cannot be viewed as " + Arrays.toString(target) + " without a copy; use reshape");
        }
        return new Tensor(storage, target, newStrides, offset);
    }

    private int[] inferShape(String op, int[] newShape) {
        int[] target = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": more than one -1 in " + Arrays.toString(newShape));
                }
                infer = i;
            } else if (target[i] < 0) {
                throw new IllegalArgumentException(op + ": negative size in " + Arrays.toString(newShape));
            } else {
                known *= target[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": cannot infer -1 in " + Arrays.toString(newShape) + " for "
                        + numel + " elements of shape " + Arrays.toString(shape));
            }
            target[infer] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " (" + numel
                    + " elements) cannot become " + Arrays.toString(newShape) + " (" + known + " elements)");
        }
        return target;
    }

    /** Flattens everything into one dimension. */
    public Tensor flatten() {
        return reshape(numel);
    }

    /** Flattens dimensions {@code start..end} (inclusive) into one. */
    public Tensor flatten(int start, int end) {
        if (shape.length == 0) {
            return reshape(1);
        }
        int s = Shapes.axis("flatten", start, shape.length);
        int e = Shapes.axis("flatten", end, shape.length);
        if (s > e) {
            throw new IllegalArgumentException("flatten: start " + start + " after end " + end);
        }
        int[] target = new int[shape.length - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) {
            target[k++] = shape[i];
        }
        int merged = 1;
        for (int i = s; i <= e; i++) {
            merged *= shape[i];
        }
        target[k++] = merged;
        for (int i = e + 1; i < shape.length; i++) {
            target[k++] = shape[i];
        }
        return reshape(target);
    }

    /** Reorders dimensions: dimension {@code i} of the result is dimension {@code order[i]} of this. */
    public Tensor permute(int... order) {
        if (order.length != shape.length) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " for a tensor of rank " + shape.length);
        }
        int[] ns = new int[order.length];
        int[] nst = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = Shapes.axis("permute", order[i], shape.length);
            if (seen[a]) {
                throw new IllegalArgumentException("permute: dimension " + order[i] + " repeated in " + Arrays.toString(order));
            }
            seen[a] = true;
            ns[i] = shape[a];
            nst[i] = strides[a];
        }
        return new Tensor(storage, ns, nst, offset);
    }

    /** Swaps two dimensions (a view). */
    public Tensor transpose(int dim0, int dim1) {
        int a = Shapes.axis("transpose", dim0, shape.length);
        int b = Shapes.axis("transpose", dim1, shape.length);
        int[] ns = shape.clone();
        int[] nst = strides.clone();
        ns[a] = shape[b];
        ns[b] = shape[a];
        nst[a] = strides[b];
        nst[b] = strides[a];
        return new Tensor(storage, ns, nst, offset);
    }

    /** Transpose of a 2-d tensor (a 1-d or 0-d tensor is returned as is, like PyTorch). */
    public Tensor t() {
        if (shape.length > 2) {
            throw new IllegalArgumentException("t: expects at most 2 dimensions, got shape " + Arrays.toString(shape));
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Transposes the last two dimensions ({@code Tensor.mT} in PyTorch). */
    public Tensor mT() {
        if (shape.length < 2) {
            throw new IllegalArgumentException("mT: needs at least 2 dimensions, got shape " + Arrays.toString(shape));
        }
        return transpose(-2, -1);
    }

    /** Removes every size-1 dimension. */
    public Tensor squeeze() {
        int n = 0;
        for (int s : shape) {
            if (s != 1) {
                n++;
            }
        }
        int[] ns = new int[n];
        int[] nst = new int[n];
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 1) {
                ns[k] = shape[i];
                nst[k++] = strides[i];
            }
        }
        return new Tensor(storage, ns, nst, offset);
    }

    /** Removes dimension {@code dim} if its size is 1 (otherwise returns this, like PyTorch). */
    public Tensor squeeze(int dim) {
        int a = Shapes.axis("squeeze", dim, shape.length);
        if (shape[a] != 1) {
            return this;
        }
        return new Tensor(storage, Views.remove(shape, a), Views.remove(strides, a), offset);
    }

    /** Inserts a size-1 dimension at {@code dim} (which may equal the rank, or be negative). */
    public Tensor unsqueeze(int dim) {
        int a = Shapes.axis("unsqueeze", dim, shape.length + 1);
        int st = a < shape.length ? strides[a] * shape[a] : 1;
        return new Tensor(storage, Views.insert(shape, a, 1), Views.insert(strides, a, st), offset);
    }

    /**
     * Broadcasts to a larger shape without copying: size-1 dimensions get stride 0, and new leading
     * dimensions may be added. A size of -1 keeps the existing size.
     */
    public Tensor expand(int... target) {
        if (Arrays.equals(target, shape)) {
            return this;
        }
        if (target.length < shape.length) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Arrays.toString(shape) + " to fewer dimensions "
                    + Arrays.toString(target));
        }
        int lead = target.length - shape.length;
        int[] ns = new int[target.length];
        int[] nst = new int[target.length];
        for (int i = 0; i < target.length; i++) {
            if (i < lead) {
                if (target[i] < 0) {
                    throw new IllegalArgumentException("expand: -1 not allowed for new leading dimension in " + Arrays.toString(target));
                }
                ns[i] = target[i];
                nst[i] = 0;
            } else {
                int s = shape[i - lead];
                int want = target[i] == -1 ? s : target[i];
                if (s == want) {
                    ns[i] = s;
                    nst[i] = strides[i - lead];
                } else if (s == 1) {
                    ns[i] = want;
                    nst[i] = 0;
                } else {
                    throw new IllegalArgumentException("expand: shape " + Arrays.toString(shape) + " cannot expand to "
                            + Arrays.toString(target) + " (dimension " + i + ": " + s + " vs " + want + ")");
                }
            }
        }
        if (Arrays.equals(ns, shape)) {
            return this;
        }
        return new Tensor(storage, ns, nst, offset);
    }

    /** {@code length} elements from {@code start} along {@code dim} (a view). */
    public Tensor narrow(int dim, int start, int length) {
        int a = Shapes.axis("narrow", dim, shape.length);
        int s = start < 0 ? start + shape[a] : start;
        if (s < 0 || length < 0 || s + length > shape[a]) {
            throw new IllegalArgumentException("narrow: start " + start + " length " + length + " out of range for dimension "
                    + dim + " of size " + shape[a]);
        }
        int[] ns = shape.clone();
        ns[a] = length;
        return new Tensor(storage, ns, strides.clone(), offset + (length == 0 ? 0 : s * strides[a]));
    }

    /**
     * Elements {@code start, start+step, ...} below {@code end} along {@code dim} (a view), like
     * Python's {@code x[start:end:step]}; start and end are clamped and may be negative.
     */
    public Tensor slice(int dim, int start, int end, int step) {
        int a = Shapes.axis("slice", dim, shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int n = shape[a];
        int s = Math.max(0, Math.min(n, start < 0 ? start + n : start));
        int e = Math.max(0, Math.min(n, end < 0 ? end + n : end));
        int len = e > s ? (e - s + step - 1) / step : 0;
        int[] ns = shape.clone();
        int[] nst = strides.clone();
        ns[a] = len;
        nst[a] = strides[a] * step;
        return new Tensor(storage, ns, nst, offset + (len == 0 ? 0 : s * strides[a]));
    }

    /** The slice at {@code index} along {@code dim}, with that dimension removed (a view). */
    public Tensor select(int dim, int index) {
        int a = Shapes.axis("select", dim, shape.length);
        int i = index < 0 ? index + shape[a] : index;
        if (i < 0 || i >= shape[a]) {
            throw new IndexOutOfBoundsException("select: index " + index + " out of range for dimension " + dim + " of size " + shape[a]);
        }
        return new Tensor(storage, Views.remove(shape, a), Views.remove(strides, a), offset + i * strides[a]);
    }

    // ------------------------------------------------------------------ joining and padding

    /** Concatenates along an existing dimension. */
    public static Tensor cat(int dim, Tensor... tensors) {
        return Joining.cat(dim, Arrays.asList(tensors));
    }

    public static Tensor cat(int dim, List<Tensor> tensors) {
        return Joining.cat(dim, tensors);
    }

    /** Stacks equal shapes along a new dimension. */
    public static Tensor stack(int dim, Tensor... tensors) {
        return Joining.stack(dim, Arrays.asList(tensors));
    }

    public static Tensor stack(int dim, List<Tensor> tensors) {
        return Joining.stack(dim, tensors);
    }

    /** Views of {@code size} elements along {@code dim} (the last may be smaller). */
    public List<Tensor> split(int size, int dim) {
        int a = Shapes.axis("split", dim, shape.length);
        if (size <= 0) {
            throw new IllegalArgumentException("split: size must be positive, got " + size);
        }
        List<Tensor> parts = new ArrayList<>();
        for (int s = 0; s < shape[a]; s += size) {
            parts.add(narrow(a, s, Math.min(size, shape[a] - s)));
        }
        return parts;
    }

    /** Views of the given sizes along {@code dim}, which must add up to its size. */
    public List<Tensor> split(int[] sizes, int dim) {
        int a = Shapes.axis("split", dim, shape.length);
        int total = 0;
        for (int s : sizes) {
            total += s;
        }
        if (total != shape[a]) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add to " + total
                    + " but dimension " + dim + " has size " + shape[a]);
        }
        List<Tensor> parts = new ArrayList<>();
        int s = 0;
        for (int len : sizes) {
            parts.add(narrow(a, s, len));
            s += len;
        }
        return parts;
    }

    /** Splits into {@code chunks} nearly equal views along {@code dim}, as {@code torch.chunk}. */
    public List<Tensor> chunk(int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        }
        int n = shape(dim);
        return split(Math.max(1, (n + chunks - 1) / chunks), dim);
    }

    /**
     * Pads with a constant, as {@code torch.nn.functional.pad}: {@code pads} holds (before, after)
     * pairs starting from the last dimension. Negative pads crop.
     */
    public Tensor pad(int[] pads, double value) {
        return Joining.pad(this, pads, value);
    }

    // ------------------------------------------------------------------ indexing

    /** {@code out[i][j] = this[index[i][j]][j]} for dim 0, and so on ({@code torch.gather}). */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    /** Whole slices along {@code dim} picked by a 1-d int32 index ({@code torch.index_select}). */
    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    /** A copy of this tensor with {@code src} added at {@code index} along {@code dim} ({@code torch.scatter_add}). */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        Tensor out = copy();
        Indexing.scatterAddInPlace(out, dim, index, src);
        return out;
    }

    /** Adds {@code src} into this tensor at {@code index} along {@code dim}. */
    public Tensor scatterAddInPlace(int dim, Tensor index, Tensor src) {
        Indexing.scatterAddInPlace(this, dim, index, src);
        return this;
    }

    /** A copy of this tensor with {@code src}'s slices added at a 1-d {@code index} along {@code dim} ({@code torch.index_add}). */
    public Tensor indexAdd(int dim, Tensor index, Tensor src) {
        Tensor out = copy();
        Indexing.indexAddInPlace(out, dim, index, src);
        return out;
    }

    /** {@code value} where {@code mask} (broadcast) is non-zero, this tensor's element elsewhere. */
    public Tensor maskedFill(Tensor mask, double value) {
        return where(mask, scalarLike(value), this);
    }

    /** Elementwise choice with broadcasting: {@code a} where {@code cond != 0}, else {@code b}. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Elementwise.where(cond, a, b);
    }

    // ------------------------------------------------------------------ elementwise

    /** A 0-d tensor holding {@code value} in this tensor's dtype (float32 for a non-integer value and an int tensor). */
    public Tensor scalarLike(double value) {
        DType dt = dtype();
        if (dt == DType.INT32 && value != Math.rint(value)) {
            dt = DType.FLOAT32;
        }
        Tensor s = scalar(value, dt);
        return device().isCpu() ? s : s.to(device());
    }

    public Tensor add(Tensor other) {
        return Elementwise.binary("add", BinaryOp.ADD, this, other);
    }

    public Tensor add(double value) {
        return add(scalarLike(value));
    }

    /** {@code this + alpha * other}. */
    public Tensor add(Tensor other, double alpha) {
        return alpha == 1 ? add(other) : add(other.mul(alpha));
    }

    public Tensor sub(Tensor other) {
        return Elementwise.binary("sub", BinaryOp.SUB, this, other);
    }

    public Tensor sub(double value) {
        return sub(scalarLike(value));
    }

    public Tensor mul(Tensor other) {
        return Elementwise.binary("mul", BinaryOp.MUL, this, other);
    }

    public Tensor mul(double value) {
        return mul(scalarLike(value));
    }

    /** True division; int32 operands give float32, as in PyTorch. */
    public Tensor div(Tensor other) {
        return Elementwise.binary("div", BinaryOp.DIV, this, other);
    }

    public Tensor div(double value) {
        return div(scalarLike(value));
    }

    public Tensor pow(Tensor exponent) {
        return Elementwise.binary("pow", BinaryOp.POW, this, exponent);
    }

    public Tensor pow(double exponent) {
        if (exponent == 2) {
            return unary("pow", UnaryOp.SQUARE);
        }
        return pow(scalarLike(exponent));
    }

    /** Elementwise maximum with NaN propagation ({@code torch.maximum}). */
    public Tensor maximum(Tensor other) {
        return Elementwise.binary("maximum", BinaryOp.MAXIMUM, this, other);
    }

    public Tensor minimum(Tensor other) {
        return Elementwise.binary("minimum", BinaryOp.MINIMUM, this, other);
    }

    /** Clamps into [lo, hi]; pass infinities for a one-sided clamp. */
    public Tensor clamp(double lo, double hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp: min " + lo + " is greater than max " + hi);
        }
        Tensor r = this;
        if (lo != Double.NEGATIVE_INFINITY) {
            r = r.maximum(scalarLike(lo));
        }
        if (hi != Double.POSITIVE_INFINITY) {
            r = r.minimum(scalarLike(hi));
        }
        return r == this ? copy() : r;
    }

    public Tensor eq(Tensor other) {
        return Elementwise.binary("eq", BinaryOp.EQ, this, other);
    }

    public Tensor eq(double value) {
        return eq(scalarLike(value));
    }

    public Tensor ne(Tensor other) {
        return Elementwise.binary("ne", BinaryOp.NE, this, other);
    }

    public Tensor lt(Tensor other) {
        return Elementwise.binary("lt", BinaryOp.LT, this, other);
    }

    public Tensor lt(double value) {
        return lt(scalarLike(value));
    }

    public Tensor le(Tensor other) {
        return Elementwise.binary("le", BinaryOp.LE, this, other);
    }

    public Tensor gt(Tensor other) {
        return Elementwise.binary("gt", BinaryOp.GT, this, other);
    }

    public Tensor gt(double value) {
        return gt(scalarLike(value));
    }

    public Tensor ge(Tensor other) {
        return Elementwise.binary("ge", BinaryOp.GE, this, other);
    }

    public Tensor ge(double value) {
        return ge(scalarLike(value));
    }

    /** Applies any {@link UnaryOp}. */
    public Tensor unary(UnaryOp op) {
        return unary(op.name().toLowerCase(java.util.Locale.ROOT), op);
    }

    private Tensor unary(String name, UnaryOp op) {
        return Elementwise.unary(name, op, this);
    }

    public Tensor neg() {
        return unary("neg", UnaryOp.NEG);
    }

    public Tensor exp() {
        return unary("exp", UnaryOp.EXP);
    }

    public Tensor log() {
        return unary("log", UnaryOp.LOG);
    }

    public Tensor sqrt() {
        return unary("sqrt", UnaryOp.SQRT);
    }

    public Tensor rsqrt() {
        return unary("rsqrt", UnaryOp.RSQRT);
    }

    public Tensor reciprocal() {
        return unary("reciprocal", UnaryOp.RECIPROCAL);
    }

    public Tensor square() {
        return unary("square", UnaryOp.SQUARE);
    }

    public Tensor abs() {
        return unary("abs", UnaryOp.ABS);
    }

    public Tensor sign() {
        return unary("sign", UnaryOp.SIGN);
    }

    public Tensor tanh() {
        return unary("tanh", UnaryOp.TANH);
    }

    public Tensor sigmoid() {
        return unary("sigmoid", UnaryOp.SIGMOID);
    }

    public Tensor relu() {
        return unary("relu", UnaryOp.RELU);
    }

    /** GELU with the exact erf form. */
    public Tensor gelu() {
        return unary("gelu", UnaryOp.GELU);
    }

    /** GELU with the tanh approximation ({@code approximate='tanh'}). */
    public Tensor geluTanh() {
        return unary("gelu_tanh", UnaryOp.GELU_TANH);
    }

    public Tensor silu() {
        return unary("silu", UnaryOp.SILU);
    }

    // ------------------------------------------------------------------ in place

    /** {@code this += other} (other broadcast to this shape). */
    public Tensor addInPlace(Tensor other) {
        Elementwise.binaryInPlace("addInPlace", BinaryOp.ADD, this, other);
        return this;
    }

    /** {@code this += alpha * other}, the optimizer's axpy. */
    public Tensor addInPlace(Tensor other, double alpha) {
        return alpha == 1 ? addInPlace(other) : addInPlace(other.mul(alpha));
    }

    public Tensor subInPlace(Tensor other) {
        Elementwise.binaryInPlace("subInPlace", BinaryOp.SUB, this, other);
        return this;
    }

    public Tensor mulInPlace(Tensor other) {
        Elementwise.binaryInPlace("mulInPlace", BinaryOp.MUL, this, other);
        return this;
    }

    public Tensor mulInPlace(double value) {
        return mulInPlace(scalarLike(value));
    }

    public Tensor divInPlace(Tensor other) {
        Elementwise.binaryInPlace("divInPlace", BinaryOp.DIV, this, other);
        return this;
    }

    /** Applies a unary op to this tensor's elements in place. */
    public Tensor applyInPlace(UnaryOp op) {
        Elementwise.unaryInPlace(op, this);
        return this;
    }

    /** Clamps in place (used for gradient clipping by value). */
    public Tensor clampInPlace(double lo, double hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clampInPlace: min " + lo + " is greater than max " + hi);
        }
        Elementwise.binaryInPlace("clampInPlace", BinaryOp.MAXIMUM, this, scalarLike(lo));
        Elementwise.binaryInPlace("clampInPlace", BinaryOp.MINIMUM, this, scalarLike(hi));
        return this;
    }

    /** Copies {@code src} (broadcast and converted) into this tensor's elements. */
    public Tensor copyFrom(Tensor src) {
        Elementwise.checkWritable("copyFrom", this);
        Tensor s = src.to(dtype());
        if (!s.device().equals(device())) {
            s = s.to(device());
        }
        backend().copy(s.expand(Elementwise.broadcastTarget("copyFrom", src.shape, shape)), this);
        return this;
    }

    /** Sets every element to {@code value}. */
    public Tensor fillInPlace(double value) {
        Elementwise.checkWritable("fillInPlace", this);
        backend().fill(this, value);
        return this;
    }

    /** Sets every element to zero. */
    public Tensor zeroInPlace() {
        return fillInPlace(0);
    }

    // ------------------------------------------------------------------ reductions

    /** Sum of all elements, as a 0-d tensor. */
    public Tensor sum() {
        return Reductions.reduce("sum", ReduceOp.SUM, this, null, false);
    }

    /** Sum over {@code dims} (empty: all). */
    public Tensor sum(int[] dims, boolean keepDim) {
        return Reductions.reduce("sum", ReduceOp.SUM, this, dims, keepDim);
    }

    public Tensor sum(int dim, boolean keepDim) {
        return sum(new int[] {dim}, keepDim);
    }

    public Tensor mean() {
        return Reductions.mean(this, null, false);
    }

    public Tensor mean(int[] dims, boolean keepDim) {
        return Reductions.mean(this, dims, keepDim);
    }

    public Tensor mean(int dim, boolean keepDim) {
        return mean(new int[] {dim}, keepDim);
    }

    public Tensor prod(int[] dims, boolean keepDim) {
        return Reductions.reduce("prod", ReduceOp.PROD, this, dims, keepDim);
    }

    public Tensor max() {
        return Reductions.reduce("max", ReduceOp.MAX, this, null, false);
    }

    public Tensor max(int[] dims, boolean keepDim) {
        return Reductions.reduce("max", ReduceOp.MAX, this, dims, keepDim);
    }

    public Tensor max(int dim, boolean keepDim) {
        return max(new int[] {dim}, keepDim);
    }

    public Tensor min() {
        return Reductions.reduce("min", ReduceOp.MIN, this, null, false);
    }

    public Tensor min(int[] dims, boolean keepDim) {
        return Reductions.reduce("min", ReduceOp.MIN, this, dims, keepDim);
    }

    public Tensor min(int dim, boolean keepDim) {
        return min(new int[] {dim}, keepDim);
    }

    /** Index of the maximum along {@code dim}, int32. */
    public Tensor argmax(int dim, boolean keepDim) {
        return Reductions.arg("argmax", ReduceOp.MAX, this, dim, keepDim);
    }

    /** Index of the maximum of the flattened tensor, as a 0-d int32 tensor. */
    public Tensor argmax() {
        return flatten().argmax(0, false);
    }

    public Tensor argmin(int dim, boolean keepDim) {
        return Reductions.arg("argmin", ReduceOp.MIN, this, dim, keepDim);
    }

    public Tensor argmin() {
        return flatten().argmin(0, false);
    }

    /** Variance with Bessel's correction {@code correction} (1 = unbiased, as PyTorch's default). */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        return Reductions.var(this, dims, correction, keepDim);
    }

    public Tensor std(int[] dims, int correction, boolean keepDim) {
        return var(dims, correction, keepDim).sqrt();
    }

    /** log(sum(exp(x))) over {@code dims}, computed stably. */
    public Tensor logsumexp(int[] dims, boolean keepDim) {
        return Reductions.logsumexp(this, dims, keepDim);
    }

    /** The p-norm over {@code dims} (empty: all); p may be 1, 2, any positive value, or infinity. */
    public Tensor norm(double p, int[] dims, boolean keepDim) {
        return Reductions.norm(this, p, dims, keepDim);
    }

    /** The 2-norm of all elements. */
    public Tensor norm() {
        return norm(2, null, false);
    }

    // ------------------------------------------------------------------ linear algebra and nn kernels

    /** Matrix product with {@code torch.matmul}'s rules: 1-d operands, batch broadcasting. */
    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    /** Softmax along {@code dim}. */
    public Tensor softmax(int dim) {
        return backend().softmax(this, Shapes.axis("softmax", dim, Math.max(1, shape.length)));
    }

    /** Log-softmax along {@code dim}. */
    public Tensor logSoftmax(int dim) {
        return backend().logSoftmax(this, Shapes.axis("logSoftmax", dim, Math.max(1, shape.length)));
    }

    // ------------------------------------------------------------------ printing

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
