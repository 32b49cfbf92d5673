package io.tutti.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Concatenation, stacking and padding: allocate the result once and copy each part into a view of it. */
final class Joining {
    private Joining() {
    }

    static Tensor cat(int dim, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("cat: needs at least one tensor");
        }
        Tensor first = parts.get(0);
        int rank = first.dim();
        if (rank == 0) {
            throw new IllegalArgumentException("cat: zero-dimensional tensors cannot be concatenated; use stack");
        }
        int a = Shapes.axis("cat", dim, rank);
        DType dt = first.dtype();
        int total = 0;
        for (Tensor t : parts) {
            if (t.dim() != rank) {
                throw new IllegalArgumentException("cat: tensors of rank " + rank + " and " + t.dim() + " (shapes "
                        + Arrays.toString(first.shape()) + " and " + Arrays.toString(t.shape()) + ")");
            }
            for (int i = 0; i < rank; i++) {
                if (i != a && t.shape(i) != first.shape(i)) {
                    throw new IllegalArgumentException("cat: shapes " + Arrays.toString(first.shape()) + " and "
                            + Arrays.toString(t.shape()) + " differ in dimension " + i + " (only dimension " + a + " may)");
                }
            }
            Elementwise.checkDevices("cat", first, t);
            dt = DType.promote(dt, t.dtype());
            total += t.shape(a);
        }
        int[] shape = first.shape();
        shape[a] = total;
        Tensor out = Tensor.zeros(dt, first.device(), shape);
        int at = 0;
        for (Tensor t : parts) {
            int len = t.shape(a);
            if (len > 0) {
                out.narrow(a, at, len).copyFrom(t);
            }
            at += len;
        }
        return out;
    }

    static Tensor stack(int dim, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("stack: needs at least one tensor");
        }
        int[] shape = parts.get(0).shape();
        int a = Shapes.axis("stack", dim, shape.length + 1);
        List<Tensor> lifted = new ArrayList<>(parts.size());
        for (Tensor t : parts) {
            if (!Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException("stack: all shapes must be equal, got " + Arrays.toString(shape) + " and "
                        + Arrays.toString(t.shape()));
            }
            lifted.add(t.unsqueeze(a));
        }
        return cat(a, lifted);
    }

    static Tensor pad(Tensor x, int[] pads, double value) {
        if (pads.length % 2 != 0 || pads.length / 2 > x.dim()) {
            throw new IllegalArgumentException("pad: pads " + Arrays.toString(pads) + " must be (before, after) pairs for at most "
                    + x.dim() + " dimensions");
        }
        int[] shape = x.shape();
        int[] out = shape.clone();
        for (int p = 0; p < pads.length / 2; p++) {
            int d = x.dim() - 1 - p;
            out[d] = shape[d] + pads[2 * p] + pads[2 * p + 1];
            if (out[d] < 0) {
                throw new IllegalArgumentException("pad: pads " + Arrays.toString(pads) + " crop dimension " + d + " of shape "
                        + Arrays.toString(shape) + " below zero");
            }
        }
        Tensor result = Tensor.zeros(x.dtype(), x.device(), out);
        if (value != 0) {
            result.fillInPlace(value);
        }
        // The kept region: in the source, skip what negative pads crop; in the result, skip what positive pads add.
        Tensor src = x;
        Tensor dst = result;
        for (int p = 0; p < pads.length / 2; p++) {
            int d = x.dim() - 1 - p;
            int before = pads[2 * p];
            int after = pads[2 * p + 1];
            int srcStart = Math.max(0, -before);
            int srcEnd = shape[d] - Math.max(0, -after);
            int len = Math.max(0, srcEnd - srcStart);
            src = src.narrow(d, Math.min(srcStart, shape[d]), len);
            dst = dst.narrow(d, Math.max(0, before), len);
        }
        if (src.numel() > 0) {
            dst.copyFrom(src);
        }
        return result;
    }
}
