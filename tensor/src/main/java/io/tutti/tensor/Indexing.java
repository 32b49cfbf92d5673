package io.tutti.tensor;

import java.util.Arrays;

/** Shape and bounds checks around the backend's gather and scatter primitives. */
final class Indexing {
    private Indexing() {
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        int a = Shapes.axis("gather", dim, Math.max(1, x.dim()));
        checkIndexShape("gather", x, a, index);
        checkBounds("gather", index, x.shape(a));
        Tensor out = Tensor.zeros(x.dtype(), x.device(), index.shape());
        x.backend().gather(x, a, index, out);
        return out;
    }

    static void scatterAddInPlace(Tensor out, int dim, Tensor index, Tensor src) {
        int a = Shapes.axis("scatterAdd", dim, Math.max(1, out.dim()));
        checkIndexShape("scatterAdd", out, a, index);
        if (src.dim() != index.dim()) {
            throw new IllegalArgumentException("scatterAdd: src of shape " + Arrays.toString(src.shape()) + " and index of shape "
                    + Arrays.toString(index.shape()) + " differ in rank");
        }
        for (int i = 0; i < index.dim(); i++) {
            if (index.shape(i) > src.shape(i)) {
                throw new IllegalArgumentException("scatterAdd: index shape " + Arrays.toString(index.shape())
                        + " is larger than src shape " + Arrays.toString(src.shape()) + " in dimension " + i);
            }
        }
        checkBounds("scatterAdd", index, out.shape(a));
        Elementwise.checkWritable("scatterAdd", out);
        Tensor s = src.to(out.dtype());
        if (!Arrays.equals(s.shape(), index.shape())) {
            for (int i = 0; i < index.dim(); i++) {
                s = s.narrow(i, 0, index.shape(i));
            }
        }
        out.backend().scatterAdd(out, a, index, s);
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        int a = Shapes.axis("indexSelect", dim, Math.max(1, x.dim()));
        Tensor idx = check1d("indexSelect", index);
        checkBounds("indexSelect", idx, x.shape(a));
        int[] shape = x.shape();
        shape[a] = idx.numel();
        Tensor out = Tensor.zeros(x.dtype(), x.device(), shape);
        x.backend().indexSelect(x, a, idx, out);
        return out;
    }

    static void indexAddInPlace(Tensor out, int dim, Tensor index, Tensor src) {
        int a = Shapes.axis("indexAdd", dim, Math.max(1, out.dim()));
        Tensor idx = check1d("indexAdd", index);
        int[] want = out.shape();
        want[a] = idx.numel();
        if (!Arrays.equals(want, src.shape())) {
            throw new IllegalArgumentException("indexAdd: src shape " + Arrays.toString(src.shape()) + " should be "
                    + Arrays.toString(want) + " for index of " + idx.numel() + " along dimension " + a);
        }
        checkBounds("indexAdd", idx, out.shape(a));
        Elementwise.checkWritable("indexAdd", out);
        out.backend().indexAdd(out, a, idx, src.to(out.dtype()));
    }

    private static Tensor check1d(String op, Tensor index) {
        if (index.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": index must be int32, got " + index.dtype());
        }
        if (index.dim() > 1) {
            throw new IllegalArgumentException(op + ": index must be 1-d, got shape " + Arrays.toString(index.shape()));
        }
        return index.dim() == 0 ? index.reshape(1) : index;
    }

    private static void checkIndexShape(String op, Tensor x, int dim, Tensor index) {
        if (index.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": index must be int32, got " + index.dtype());
        }
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException(op + ": index of shape " + Arrays.toString(index.shape()) + " and input of shape "
                    + Arrays.toString(x.shape()) + " differ in rank");
        }
        for (int i = 0; i < x.dim(); i++) {
            if (i != dim && index.shape(i) > x.shape(i)) {
                throw new IllegalArgumentException(op + ": index shape " + Arrays.toString(index.shape()) + " exceeds input shape "
                        + Arrays.toString(x.shape()) + " in dimension " + i);
            }
        }
    }

    private static void checkBounds(String op, Tensor index, int size) {
        if (index.numel() == 0) {
            return;
        }
        int lo;
        int hi;
        if (index.isContiguous() && index.dtype() == DType.INT32 && index.storage() instanceof CpuStorage cpu) {
            // The common case (an index built on the host) without two reductions and their allocations.
            int[] v = cpu.ints();
            lo = Integer.MAX_VALUE;
            hi = Integer.MIN_VALUE;
            for (int i = index.offset(), end = index.offset() + index.numel(); i < end; i++) {
                lo = Math.min(lo, v[i]);
                hi = Math.max(hi, v[i]);
            }
        } else {
            lo = (int) index.min().item();
            hi = (int) index.max().item();
        }
        if (lo < 0 || hi >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + (lo < 0 ? lo : hi) + " is out of bounds for size " + size);
        }
    }
}
