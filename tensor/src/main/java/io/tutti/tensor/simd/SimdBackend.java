package io.tutti.tensor.simd;

import io.tutti.tensor.BinaryOp;
import io.tutti.tensor.CpuStorage;
import io.tutti.tensor.DType;
import io.tutti.tensor.Normalization;
import io.tutti.tensor.Parallel;
import io.tutti.tensor.Pooling;
import io.tutti.tensor.ReduceOp;
import io.tutti.tensor.Tensor;
import io.tutti.tensor.UnaryOp;
import io.tutti.tensor.Window2d;
import io.tutti.tensor.reference.ReferenceBackend;

import java.util.Arrays;

/**
 * The fast CPU backend: float32 kernels on the Vector API, spread over a shared thread pool. Any
 * case it has no kernel for (other dtypes, unusual layouts) falls through to the reference loops it
 * extends, so it is always complete and always correct.
 *
 * <p>Elementwise primitives first try a flat path with no allocation at all: every operand
 * contiguous or a broadcast scalar, so one kernel call walks them as 1-d arrays. That is what keeps
 * a 16-element add cheap. Other layouts go through {@link Layout} and {@link Rows}.
 */
public class SimdBackend extends ReferenceBackend {
    /** Flat stride of an operand: contiguous. */
    private static final int CONTIGUOUS = 1;
    /** Flat stride of an operand: one value broadcast everywhere. */
    private static final int SCALAR = 0;
    /** Neither: needs the row walk. */
    private static final int STRIDED = -1;

    @Override
    public String name() {
        return "simd";
    }

    /** The float array behind a float32 tensor on the CPU (read through its offset and strides). */
    static float[] floats(Tensor t) {
        return ((CpuStorage) t.storage()).floats();
    }

    private static boolean isFloat(Tensor t) {
        return t.dtype() == DType.FLOAT32;
    }

    /** {@link #CONTIGUOUS}, {@link #SCALAR} or {@link #STRIDED}, without allocating. */
    private static int flatStride(Tensor t) {
        if (t.isContiguous()) {
            return CONTIGUOUS;
        }
        for (int d = 0; d < t.dim(); d++) {
            if (t.stride(d) != 0 && t.shape(d) != 1) {
                return STRIDED;
            }
        }
        return SCALAR;
    }

    // ---------------------------------------------------------------- data movement

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (!isFloat(src) || !isFloat(dst)) {
            super.copy(src, dst);
            return;
        }
        int n = dst.numel();
        if (n == 0) {
            return;
        }
        if (dst.isContiguous() && src.isContiguous()) {
            System.arraycopy(floats(src), src.offset(), floats(dst), dst.offset(), n);
            return;
        }
        Rows.run(Layout.of(dst.shape(), src, dst), new float[][] {floats(src), floats(dst)}, (arr, off, st, m) -> {
            if (st[0] == 0) {
                Arrays.fill(arr[1], off[1], off[1] + m, arr[0][off[0]]);
            } else {
                System.arraycopy(arr[0], off[0], arr[1], off[1], m);
            }
        });
    }

    @Override
    public void fill(Tensor dst, double value) {
        if (!isFloat(dst)) {
            super.fill(dst, value);
            return;
        }
        if (dst.numel() == 0) {
            return;
        }
        float v = (float) value;
        if (dst.isContiguous()) {
            Arrays.fill(floats(dst), dst.offset(), dst.offset() + dst.numel(), v);
            return;
        }
        Rows.run(Layout.of(dst.shape(), dst), new float[][] {floats(dst)},
                (arr, off, st, m) -> Arrays.fill(arr[0], off[0], off[0] + m, v));
    }

    // ---------------------------------------------------------------- elementwise

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        if (!isFloat(x) || !isFloat(out)) {
            super.unary(op, x, out);
            return;
        }
        int n = out.numel();
        if (n == 0) {
            return;
        }
        int xs = flatStride(x);
        if (xs != STRIDED && out.isContiguous()) {
            float[] xa = floats(x);
            float[] oa = floats(out);
            int xo = x.offset();
            int oo = out.offset();
            if (n <= Rows.GRAIN) {
                VectorUnary.apply(op, xa, xo, xs, oa, oo, n);
            } else {
                Parallel.forRange(n, Rows.GRAIN, (from, to) -> VectorUnary.apply(op, xa, xo + from * xs, xs, oa, oo + from, to - from));
            }
            return;
        }
        Rows.run(Layout.of(out.shape(), x, out), new float[][] {floats(x), floats(out)},
                (arr, off, st, m) -> VectorUnary.apply(op, arr[0], off[0], st[0], arr[1], off[1], m));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (!isFloat(a) || !isFloat(b) || !isFloat(out)) {
            super.binary(op, a, b, out);
            return;
        }
        int n = out.numel();
        if (n == 0) {
            return;
        }
        int as = flatStride(a);
        int bs = flatStride(b);
        if (as != STRIDED && bs != STRIDED && out.isContiguous()) {
            float[] aa = floats(a);
            float[] ba = floats(b);
            float[] oa = floats(out);
            int ao = a.offset();
            int bo = b.offset();
            int oo = out.offset();
            if (n <= Rows.GRAIN) {
                VectorBinary.apply(op, aa, ao, as, ba, bo, bs, oa, oo, n);
            } else {
                Parallel.forRange(n, Rows.GRAIN,
                        (from, to) -> VectorBinary.apply(op, aa, ao + from * as, as, ba, bo + from * bs, bs, oa, oo + from, to - from));
            }
            return;
        }
        Rows.run(Layout.of(out.shape(), a, b, out), new float[][] {floats(a), floats(b), floats(out)},
                (arr, off, st, m) -> VectorBinary.apply(op, arr[0], off[0], st[0], arr[1], off[1], st[1], arr[2], off[2], m));
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        if (!isFloat(cond) || !isFloat(a) || !isFloat(b) || !isFloat(out)) {
            super.where(cond, a, b, out);
            return;
        }
        if (out.numel() == 0) {
            return;
        }
        Rows.run(Layout.of(out.shape(), cond, a, b, out), new float[][] {floats(cond), floats(a), floats(b), floats(out)},
                (arr, off, st, m) -> VectorWhere.apply(arr[0], off[0], st[0], arr[1], off[1], st[1], arr[2], off[2], st[2],
                        arr[3], off[3], m));
    }

    // ---------------------------------------------------------------- reductions

    @Override
    public void reduce(ReduceOp op, Tensor x, Tensor out) {
        if (!isFloat(x) || !isFloat(out)) {
            super.reduce(op, x, out);
            return;
        }
        if (out.numel() == 0) {
            return;
        }
        if (x.numel() == 0) {
            fill(out, op.identity());
            return;
        }
        // Layouts without a fast path (a broadcast gradient has stride 0 innermost) are copied
        // contiguous first: one pass is cheaper than the reference loops.
        if (!ReducePlan.run(op, x, out) && (x.isContiguous() || !ReducePlan.run(op, x.contiguous(), out))) {
            super.reduce(op, x, out);
        }
    }

    @Override
    public void argReduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        if (!isFloat(x) || out.numel() == 0 || (x.stride(axis) != 1 && x.shape(axis) != 1)) {
            super.argReduce(op, x, axis, out);
            return;
        }
        int n = x.shape(axis);
        float[] xa = floats(x);
        int[] oa = ((CpuStorage) out.storage()).ints();
        // Walk the output's elements; x's first element of each row has out's index and 0 on the axis.
        Layout layout = Layout.of(out.shape(), x.narrow(axis, 0, 1), out);
        int rows = layout.rows;
        Parallel.RangeBody body = (from, to) -> {
            Odometer c = layout.cursor();
            c.seek(from);
            int xs = layout.innerStrides[0];
            int os = layout.innerStrides[1];
            for (int r = from; r < to; r++) {
                for (int j = 0; j < layout.inner; j++) {
                    oa[c.at[1] + j * os] = VectorReduce.argRow(op, xa, c.at[0] + j * xs, n);
                }
                c.next();
            }
        };
        long total = (long) out.numel() * n;
        if (total <= Rows.GRAIN) {
            body.run(0, rows);
        } else {
            Parallel.forRange(rows, (int) Math.max(1, Rows.GRAIN / ((long) layout.inner * n)), body);
        }
    }

    // ---------------------------------------------------------------- fused kernels

    @Override
    public Tensor softmax(Tensor x, int dim) {
        return fusedSoftmax(x, dim, false);
    }

    @Override
    public Tensor logSoftmax(Tensor x, int dim) {
        return fusedSoftmax(x, dim, true);
    }

    private Tensor fusedSoftmax(Tensor x, int dim, boolean log) {
        if (!isFloat(x) || x.dim() == 0 || dim != x.dim() - 1) {
            return log ? super.logSoftmax(x, dim) : super.softmax(x, dim);
        }
        Tensor in = x.contiguous();
        Tensor out = Tensor.zeros(DType.FLOAT32, x.shape());
        int n = x.shape(dim);
        if (out.numel() > 0) {
            VectorSoftmax.run(floats(in), in.offset(), floats(out), 0, out.numel() / n, n, log);
        }
        return out;
    }

    @Override
    public Tensor softmaxBackward(Tensor y, Tensor grad, int dim) {
        if (!isFloat(y) || !isFloat(grad) || dim != y.dim() - 1) {
            return super.softmaxBackward(y, grad, dim);
        }
        Tensor ys = y.contiguous();
        Tensor gs = grad.contiguous();
        Tensor out = Tensor.zeros(DType.FLOAT32, y.shape());
        int n = y.shape(dim);
        if (out.numel() > 0) {
            VectorSoftmax.backward(floats(ys), ys.offset(), floats(gs), gs.offset(), floats(out), 0, out.numel() / n, n);
        }
        return out;
    }

    @Override
    public Normalization.LayerNormOutput layerNorm(Tensor x, int normalizedDims, Tensor weight, Tensor bias, double eps) {
        if (!VectorLayerNorm.supports(x, weight, bias)) {
            return super.layerNorm(x, normalizedDims, weight, bias, eps);
        }
        return VectorLayerNorm.forward(x, normalizedDims, weight, bias, eps);
    }

    @Override
    public Normalization.LayerNormGrads layerNormBackward(Tensor grad, Tensor x, Tensor mean, Tensor invStd, Tensor weight,
            int normalizedDims, boolean inputGrad, boolean affineGrads) {
        if (!VectorLayerNorm.supports(grad, x, mean, invStd, weight)) {
            return super.layerNormBackward(grad, x, mean, invStd, weight, normalizedDims, inputGrad, affineGrads);
        }
        return VectorLayerNorm.backward(grad, x, mean, invStd, weight, normalizedDims, inputGrad, affineGrads);
    }

    @Override
    public Tensor unfold2d(Tensor x, Window2d window) {
        if (!isFloat(x)) {
            return super.unfold2d(x, window);
        }
        Tensor in = x.contiguous();
        int n = x.shape(0);
        int c = x.shape(1);
        int h = x.shape(2);
        int w = x.shape(3);
        int positions = window.outputHeight(h) * window.outputWidth(w);
        Tensor cols = Tensor.zeros(DType.FLOAT32, n, c * window.taps(), positions);
        Patches.unfold(floats(in), in.offset(), n * c, h, w, window, floats(cols));
        return cols;
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d window, int groups) {
        if (!SimdConvolution.supports(groups, x.shape(0), x, weight, bias)) {
            return super.conv2d(x, weight, bias, window, groups);
        }
        return SimdConvolution.forward(x, weight, bias, window);
    }

    @Override
    public Tensor conv2dInputGrad(Tensor gradOut, Tensor weight, int[] inputShape, Window2d window, int groups) {
        if (!SimdConvolution.supports(groups, inputShape[0], gradOut, weight)) {
            return super.conv2dInputGrad(gradOut, weight, inputShape, window, groups);
        }
        return SimdConvolution.inputGrad(gradOut, weight, inputShape, window);
    }

    @Override
    public Tensor conv2dWeightGrad(Tensor x, Tensor gradOut, int[] weightShape, Window2d window, int groups) {
        if (!SimdConvolution.supports(groups, x.shape(0), x, gradOut) || !SimdConvolution.weightGradSupports(x, window)) {
            return super.conv2dWeightGrad(x, gradOut, weightShape, window, groups);
        }
        return SimdConvolution.weightGrad(x, gradOut, weightShape, window);
    }

    @Override
    public Tensor fold2d(Tensor cols, int height, int width, Window2d window) {
        if (!isFloat(cols)) {
            return super.fold2d(cols, height, width, window);
        }
        Tensor in = cols.contiguous();
        int n = cols.shape(0);
        int c = cols.shape(1) / window.taps();
        Tensor out = Tensor.zeros(DType.FLOAT32, n, c, height, width);
        Patches.fold(floats(in), in.offset(), n * c, height, width, window, floats(out));
        return out;
    }

    /**
     * The scatter-add of max-pool backward and of the losses: float32, along the last axis, every
     * operand contiguous and the index covering whole rows of {@code out} but for that axis. Rows
     * of {@code out} are disjoint, so they run in parallel; within a row the order is the
     * reference's.
     */
    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        int last = out.dim() - 1;
        if (!isFloat(out) || !isFloat(src) || dim != last || !out.isContiguous() || !index.isContiguous()
                || !src.isContiguous() || !Arrays.equals(index.shape(), src.shape()) || !sameLeading(out, index)) {
            super.scatterAdd(out, dim, index, src);
            return;
        }
        int len = index.numel() == 0 ? 0 : index.shape(last);
        int rows = len == 0 ? 0 : index.numel() / len;
        int outLen = out.shape(last);
        float[] o = floats(out);
        float[] s = floats(src);
        int[] ix = ((CpuStorage) index.storage()).ints();
        int oOff = out.offset();
        int sOff = src.offset();
        int iOff = index.offset();
        Parallel.forRange(rows, Math.max(1, (1 << 14) / Math.max(1, len)), (from, to) -> {
            for (int r = from; r < to; r++) {
                int ob = oOff + r * outLen;
                int sb = sOff + r * len;
                int ib = iOff + r * len;
                for (int i = 0; i < len; i++) {
                    o[ob + ix[ib + i]] += s[sb + i];
                }
            }
        });
    }

    /** Whether {@code index} has {@code out}'s sizes on every axis but the last. */
    private static boolean sameLeading(Tensor out, Tensor index) {
        if (index.dim() != out.dim() || out.dim() == 0) {
            return false;
        }
        for (int d = 0; d < out.dim() - 1; d++) {
            if (index.shape(d) != out.shape(d)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Pooling.MaxPoolResult maxPool2d(Tensor planes, Window2d window, int outH, int outW) {
        if (!isFloat(planes)) {
            return super.maxPool2d(planes, window, outH, outW);
        }
        Tensor in = planes.contiguous();
        int b = planes.shape(0);
        Tensor values = Tensor.zeros(DType.FLOAT32, b, 1, outH, outW);
        Tensor indices = Tensor.zeros(DType.INT32, b, 1, outH, outW);
        MaxPoolPlanes.run(floats(in), in.offset(), b, planes.shape(2), planes.shape(3), window, outH, outW, floats(values),
                ((CpuStorage) indices.storage()).ints());
        return new Pooling.MaxPoolResult(values, indices);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        if (a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32) {
            Gemm.matmul(a, b, out);
        } else {
            super.matmul(a, b, out);
        }
    }
}
