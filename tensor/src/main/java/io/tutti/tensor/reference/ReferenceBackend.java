package io.tutti.tensor.reference;

import io.tutti.tensor.Backend;
import io.tutti.tensor.BinaryOp;
import io.tutti.tensor.CpuStorage;
import io.tutti.tensor.DType;
import io.tutti.tensor.Philox;
import io.tutti.tensor.ReduceOp;
import io.tutti.tensor.Storage;
import io.tutti.tensor.Tensor;
import io.tutti.tensor.UnaryOp;

/**
 * The reference backend: one plain loop per primitive, every value computed in double precision
 * and rounded once when stored. It is written to be read and trusted, not to be fast; every other
 * backend is tested against it. Handles float32, float64 and int32.
 */
public class ReferenceBackend implements Backend {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Storage allocate(DType dtype, int size) {
        return CpuStorage.allocate(dtype, size);
    }

    @Override
    public Storage fromHost(CpuStorage host) {
        return host;
    }

    @Override
    public CpuStorage toHost(Storage storage) {
        return (CpuStorage) storage;
    }

    private static CpuStorage data(Tensor t) {
        return (CpuStorage) t.storage();
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        if (dst.numel() == 0) {
            return;
        }
        CpuStorage s = data(src);
        CpuStorage d = data(dst);
        StridedCursor c = new StridedCursor(dst.shape(), src, dst);
        do {
            d.set(c.at[1], s.get(c.at[0]));
        } while (c.next());
    }

    @Override
    public void fill(Tensor dst, double value) {
        if (dst.numel() == 0) {
            return;
        }
        CpuStorage d = data(dst);
        StridedCursor c = new StridedCursor(dst.shape(), dst);
        do {
            d.set(c.at[0], value);
        } while (c.next());
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        if (out.numel() == 0) {
            return;
        }
        CpuStorage xs = data(x);
        CpuStorage os = data(out);
        StridedCursor c = new StridedCursor(out.shape(), x, out);
        do {
            os.set(c.at[1], op.apply(xs.get(c.at[0])));
        } while (c.next());
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (out.numel() == 0) {
            return;
        }
        CpuStorage as = data(a);
        CpuStorage bs = data(b);
        CpuStorage os = data(out);
        StridedCursor c = new StridedCursor(out.shape(), a, b, out);
        do {
            os.set(c.at[2], op.apply(as.get(c.at[0]), bs.get(c.at[1])));
        } while (c.next());
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        if (out.numel() == 0) {
            return;
        }
        CpuStorage cs = data(cond);
        CpuStorage as = data(a);
        CpuStorage bs = data(b);
        CpuStorage os = data(out);
        StridedCursor c = new StridedCursor(out.shape(), cond, a, b, out);
        do {
            os.set(c.at[3], cs.get(c.at[0]) != 0 ? as.get(c.at[1]) : bs.get(c.at[2]));
        } while (c.next());
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, Tensor out) {
        if (out.numel() == 0) {
            return;
        }
        // Accumulate in double, one slot per output element, then store once.
        CpuStorage xs = data(x);
        CpuStorage os = data(out);
        double[] acc = new double[os.size()];
        fill(out, 0);
        StridedCursor init = new StridedCursor(out.shape(), out);
        do {
            acc[init.at[0]] = op.identity();
        } while (init.next());
        if (x.numel() > 0) {
            Tensor outOverX = out.expand(x.shape());
            StridedCursor c = new StridedCursor(x.shape(), x, outOverX);
            do {
                acc[c.at[1]] = op.combine(acc[c.at[1]], xs.get(c.at[0]));
            } while (c.next());
        }
        StridedCursor store = new StridedCursor(out.shape(), out);
        do {
            os.set(store.at[0], acc[store.at[0]]);
        } while (store.next());
    }

    @Override
    public void argReduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        if (out.numel() == 0) {
            return;
        }
        CpuStorage xs = data(x);
        CpuStorage os = data(out);
        int n = x.shape(axis);
        int step = x.stride(axis);
        int[] xStrides = x.strides();
        xStrides[axis] = 0;
        StridedCursor c = new StridedCursor(out.shape(), new int[][] {out.strides(), xStrides},
                new int[] {out.offset(), x.offset()});
        do {
            int best = 0;
            double bestValue = xs.get(c.at[1]);
            for (int k = 1; k < n && bestValue == bestValue; k++) {
                double v = xs.get(c.at[1] + k * step);
                boolean better = op == ReduceOp.MAX ? v > bestValue : v < bestValue;
                if (better || v != v) {
                    best = k;
                    bestValue = v;
                }
            }
            os.set(c.at[0], best);
        } while (c.next());
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        if (out.numel() == 0) {
            return;
        }
        int r = out.dim();
        int depth = a.shape(r - 1);
        // Walk out[..., i, j]; a's cursor ignores j and b's ignores i, then loop over k by hand.
        int[] aStrides = a.strides();
        int aStepK = aStrides[r - 1];
        aStrides[r - 1] = 0;
        int[] bStrides = b.strides();
        int bStepK = bStrides[r - 2];
        bStrides[r - 2] = 0;
        CpuStorage as = data(a);
        CpuStorage bs = data(b);
        CpuStorage os = data(out);
        StridedCursor c = new StridedCursor(out.shape(), new int[][] {out.strides(), aStrides, bStrides},
                new int[] {out.offset(), a.offset(), b.offset()});
        do {
            double sum = 0;
            for (int k = 0; k < depth; k++) {
                sum += as.get(c.at[1] + k * aStepK) * bs.get(c.at[2] + k * bStepK);
            }
            os.set(c.at[0], sum);
        } while (c.next());
    }

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        if (out.numel() == 0) {
            return;
        }
        int step = x.stride(dim);
        int[] xStrides = x.strides();
        xStrides[dim] = 0;
        CpuStorage xs = data(x);
        CpuStorage is = data(index);
        CpuStorage os = data(out);
        StridedCursor c = new StridedCursor(index.shape(), new int[][] {out.strides(), index.strides(), xStrides},
                new int[] {out.offset(), index.offset(), x.offset()});
        do {
            int k = (int) is.get(c.at[1]);
            os.set(c.at[0], xs.get(c.at[2] + k * step));
        } while (c.next());
    }

    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        if (index.numel() == 0) {
            return;
        }
        int step = out.stride(dim);
        int[] outStrides = out.strides();
        outStrides[dim] = 0;
        CpuStorage ss = data(src);
        CpuStorage is = data(index);
        CpuStorage os = data(out);
        StridedCursor c = new StridedCursor(index.shape(), new int[][] {src.strides(), index.strides(), outStrides},
                new int[] {src.offset(), index.offset(), out.offset()});
        do {
            int at = c.at[2] + (int) is.get(c.at[1]) * step;
            os.set(at, os.get(at) + ss.get(c.at[0]));
        } while (c.next());
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        if (out.numel() == 0) {
            return;
        }
        int step = x.stride(dim);
        int[] xStrides = x.strides();
        xStrides[dim] = 0;
        CpuStorage xs = data(x);
        CpuStorage is = data(index);
        CpuStorage os = data(out);
        StridedCursor c = new StridedCursor(out.shape(), new int[][] {out.strides(), xStrides}, new int[] {out.offset(), x.offset()});
        do {
            int k = (int) is.get(index.offset() + c.index()[dim] * index.stride(0));
            os.set(c.at[0], xs.get(c.at[1] + k * step));
        } while (c.next());
    }

    @Override
    public void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        if (src.numel() == 0) {
            return;
        }
        int step = out.stride(dim);
        int[] outStrides = out.strides();
        outStrides[dim] = 0;
        CpuStorage ss = data(src);
        CpuStorage is = data(index);
        CpuStorage os = data(out);
        StridedCursor c = new StridedCursor(src.shape(), new int[][] {src.strides(), outStrides}, new int[] {src.offset(), out.offset()});
        do {
            int k = (int) is.get(index.offset() + c.index()[dim] * index.stride(0));
            int at = c.at[1] + k * step;
            os.set(at, os.get(at) + ss.get(c.at[0]));
        } while (c.next());
    }

    @Override
    public void randomUniform(Tensor out, long seed, long offset, double lo, double hi) {
        CpuStorage os = data(out);
        for (int i = 0; i < out.numel(); i++) {
            double v = lo + (hi - lo) * Philox.uniform(seed, offset + i);
            if (out.dtype() == DType.FLOAT32 && (float) v >= hi) {
                v = Math.nextDown((float) hi);   // rounding to float must not reach the open end
            }
            os.set(out.offset() + i, v);
        }
    }

    @Override
    public void randomNormal(Tensor out, long seed, long offset, double mean, double std) {
        CpuStorage os = data(out);
        for (int i = 0; i < out.numel(); i++) {
            os.set(out.offset() + i, mean + std * Philox.normal(seed, offset + i));
        }
    }
}
