package io.tutti.opencl;

import io.tutti.tensor.Backend;
import io.tutti.tensor.BinaryOp;
import io.tutti.tensor.CpuStorage;
import io.tutti.tensor.DType;
import io.tutti.tensor.Device;
import io.tutti.tensor.ReduceOp;
import io.tutti.tensor.Storage;
import io.tutti.tensor.Tensor;
import io.tutti.tensor.UnaryOp;
import org.jocl.Pointer;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.Arrays;
import java.util.Locale;

/**
 * The {@link Backend} of one OpenCL device: every primitive is a kernel from the {@code .cl}
 * resources of this package, reading its operands in place through their strides (see
 * {@link Walk}), so views never cost a copy. Kernels are queued asynchronously on the device's
 * in-order queue; only transfers to the host wait.
 *
 * <p>float32 and int32 run on every device, float64 on devices with {@code cl_khr_fp64} (others
 * say so clearly). Every tensor passed in must live on this backend's device: mixing devices is an
 * {@link IllegalArgumentException} naming the operation, never a silent transfer.
 *
 * <p>Instances come from {@link OpenCl}; the OpenCL context is created on first use, so listing
 * devices costs nothing.
 */
public final class OpenClBackend implements Backend {
    /** Reductions longer than this into at most {@link #GROUP_REDUCE_MAX_OUTPUTS} outputs use a work-group per output. */
    private static final int GROUP_REDUCE_MIN_LENGTH = 128;
    private static final int GROUP_REDUCE_MAX_OUTPUTS = 4096;
    private static final int GROUP_REDUCE_SIZE = 256;
    /** Local memory per work-item of a group reduction: enough for any accumulator (double, long). */
    private static final int ACCUMULATOR_BYTES = 8;

    private final DeviceInfo info;
    private final Device device;
    private volatile OpenClContext context;
    private volatile Gemm gemm;

    OpenClBackend(DeviceInfo info) {
        this.info = info;
        this.device = new Device(info.deviceName(), this);
    }

    /** The device this backend runs on. */
    public Device device() {
        return device;
    }

    @Override
    public String name() {
        return info.deviceName();
    }

    /** The platform and device names, type and version, as the driver reports them. */
    public String description() {
        return info.toString();
    }

    /** Whether float64 tensors can live on this device ({@code cl_khr_fp64}). */
    public boolean supportsFloat64() {
        return info.fp64;
    }

    /** Bytes of device memory held by storage of this backend that has not been released yet. */
    public long liveBytes() {
        return context == null ? 0 : context().liveBytes();
    }

    /** Waits until every operation queued so far has finished (for timing; transfers already wait). */
    public void synchronize() {
        context().finish();
    }

    OpenClContext context() {
        OpenClContext c = context;
        if (c == null) {
            synchronized (this) {
                c = context;
                if (c == null) {
                    c = new OpenClContext(info);
                    gemm = new Gemm(c);
                    context = c;
                }
            }
        }
        return c;
    }

    Gemm gemm() {
        context();
        return gemm;
    }

    // ------------------------------------------------------------------ storage

    @Override
    public Storage allocate(DType dtype, int size) {
        OpenClContext ctx = context();
        if (dtype == DType.FLOAT64) {
            ctx.requireFp64("allocate");
        }
        cl_mem mem = ctx.allocate("allocate " + dtype + "[" + size + "]", (long) size * dtype.byteSize());
        return new OpenClStorage(this, dtype, size, mem, ctx);
    }

    @Override
    public Storage fromHost(CpuStorage host) {
        OpenClContext ctx = context();
        DType dtype = host.dtype();
        if (dtype == DType.FLOAT64) {
            ctx.requireFp64("to(" + device + ")");
        }
        cl_mem mem = ctx.upload("to(" + device + ")", hostPointer(host), (long) host.size() * dtype.byteSize());
        return new OpenClStorage(this, dtype, host.size(), mem, ctx);
    }

    @Override
    public CpuStorage toHost(Storage storage) {
        OpenClStorage s = own(storage, "to(cpu)");
        CpuStorage host = CpuStorage.allocate(s.dtype(), s.size());
        context().download("to(cpu)", s.mem("to(cpu)"), hostPointer(host), (long) s.size() * s.dtype().byteSize());
        return host;
    }

    private static Pointer hostPointer(CpuStorage host) {
        switch (host.dtype()) {
            case FLOAT32: return Pointer.to(host.floats());
            case FLOAT64: return Pointer.to(host.doubles());
            default: return Pointer.to(host.ints());
        }
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void copy(Tensor src, Tensor dst) {
        cl_mem s = mem(src, "copy");
        cl_mem d = mem(dst, "copy");
        if (dst.numel() == 0) {
            return;
        }
        OpenClContext ctx = context();
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous() && src.storage() != dst.storage()) {
            int bytes = src.dtype().byteSize();
            ctx.copyBuffer("copy", s, (long) src.offset() * bytes, d, (long) dst.offset() * bytes, (long) dst.numel() * bytes);
            return;
        }
        String convert = dst.dtype() == DType.INT32 ? "convert_int_sat_rtz" : "convert_" + OpenClContext.clType(dst.dtype());
        if (src.dtype() == DType.FLOAT64 || dst.dtype() == DType.FLOAT64) {
            ctx.requireFp64("copy");
        }
        String options = "-DS=" + OpenClContext.clType(src.dtype()) + " -DD=" + OpenClContext.clType(dst.dtype()) + " -DCONVERT=" + convert;
        Walk w = Walk.of("copy", dst.shape(), src, dst);
        ctx.launch("copy", ctx.kernel("copy.cl", options, "copy")).arg(w).arg(s).arg(d).run(w.numel());
    }

    @Override
    public void fill(Tensor dst, double value) {
        cl_mem d = mem(dst, "fill");
        if (dst.numel() == 0) {
            return;
        }
        OpenClContext ctx = context();
        Walk w = Walk.of("fill", dst.shape(), dst);
        ctx.launch("fill", elementwise("fill", dst.dtype())).arg(w).arg(d).value(dst.dtype(), value).run(w.numel());
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        String what = op.name().toLowerCase(Locale.ROOT);
        cl_mem xm = mem(x, what);
        cl_mem om = mem(out, what);
        sameDtype(what, x, out);
        if (out.numel() == 0) {
            return;
        }
        Walk w = Walk.of(what, out.shape(), x, out);
        context().launch(what, elementwise("unary", out.dtype())).arg(OpCodes.of(op)).arg(w).arg(xm).arg(om).run(w.numel());
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        String what = op.name().toLowerCase(Locale.ROOT);
        cl_mem am = mem(a, what);
        cl_mem bm = mem(b, what);
        cl_mem om = mem(out, what);
        sameDtype(what, a, out);
        sameDtype(what, b, out);
        if (out.numel() == 0) {
            return;
        }
        Walk w = Walk.of(what, out.shape(), a, b, out);
        context().launch(what, elementwise("binary", out.dtype())).arg(OpCodes.of(op)).arg(w).arg(am).arg(bm).arg(om)
                .run(w.numel());
    }

    @Override
    public void where(Tensor cond, Tensor a, Tensor b, Tensor out) {
        cl_mem cm = mem(cond, "where");
        cl_mem am = mem(a, "where");
        cl_mem bm = mem(b, "where");
        cl_mem om = mem(out, "where");
        sameDtype("where", a, out);
        sameDtype("where", b, out);
        if (out.numel() == 0) {
            return;
        }
        OpenClContext ctx = context();
        if (cond.dtype() == DType.FLOAT64) {
            ctx.requireFp64("where");
        }
        String options = ctx.typeOptions("where", out.dtype()) + " -DC=" + OpenClContext.clType(cond.dtype());
        Walk w = Walk.of("where", out.shape(), cond, a, b, out);
        ctx.launch("where", ctx.kernel("where.cl", options, "where")).arg(w).arg(cm).arg(am).arg(bm).arg(om).run(w.numel());
    }

    private cl_kernel elementwise(String name, DType dtype) {
        OpenClContext ctx = context();
        return ctx.kernel("elementwise.cl", ctx.typeOptions(name, dtype), name);
    }

    // ------------------------------------------------------------------ reductions

    @Override
    public void reduce(ReduceOp op, Tensor x, Tensor out) {
        String what = "reduce " + op;
        cl_mem xm = mem(x, what);
        cl_mem om = mem(out, what);
        sameDtype(what, x, out);
        if (out.numel() == 0) {
            return;
        }
        if (x.numel() == 0) {
            fill(out, op.identity());
            return;
        }
        int rank = x.dim();
        int[] reducedShape = new int[rank];
        for (int i = 0; i < rank; i++) {
            boolean reduced = out.shape(i) == 1 && x.shape(i) != 1;
            reducedShape[i] = reduced ? x.shape(i) : 1;
        }
        Walk kept = Walk.of(what, out.shape(), out, x);
        Walk red = Walk.of(what, reducedShape, new int[][] {x.strides()}, new int[] {0});
        OpenClContext ctx = context();
        String options = ctx.typeOptions(what, x.dtype());
        int group = groupSize();
        if (red.numel() >= GROUP_REDUCE_MIN_LENGTH && kept.numel() <= GROUP_REDUCE_MAX_OUTPUTS && group > 1) {
            ctx.launch(what, ctx.kernel("reduce.cl", options, "reduce_group")).arg(OpCodes.of(op)).arg(kept).arg(red).arg(xm).arg(om)
                    .local((long) group * ACCUMULATOR_BYTES)
                    .run(new long[] {(long) kept.numel() * group}, new long[] {group});
        } else {
            ctx.launch(what, ctx.kernel("reduce.cl", options, "reduce_serial")).arg(OpCodes.of(op)).arg(kept).arg(red).arg(xm).arg(om)
                    .run(kept.numel());
        }
    }

    /** The work-group size for group reductions: a power of two within the device's limits, fixed so the kernel is built once. */
    private int groupSize() {
        long limit = Math.min(GROUP_REDUCE_SIZE, Math.min(info.maxWorkGroupSize, info.localMemBytes / ACCUMULATOR_BYTES));
        return Integer.highestOneBit((int) Math.max(1, limit));
    }


    @Override
    public void argReduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        String what = op == ReduceOp.MAX ? "argmax" : "argmin";
        cl_mem xm = mem(x, what);
        cl_mem om = mem(out, what);
        if (out.numel() == 0) {
            return;
        }
        int[] xStrides = x.strides();
        xStrides[axis] = 0;
        Walk w = Walk.of(what, out.shape(), new int[][] {out.strides(), xStrides}, new int[] {out.offset(), x.offset()});
        OpenClContext ctx = context();
        ctx.launch(what, ctx.kernel("reduce.cl", ctx.typeOptions(what, x.dtype()), "arg_reduce")).arg(op == ReduceOp.MAX ? 1 : 0)
                .arg(w).arg(x.shape(axis)).arg(x.stride(axis)).arg(xm).arg(om).run(w.numel());
    }

    // ------------------------------------------------------------------ matmul

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        cl_mem am = mem(a, "matmul");
        cl_mem bm = mem(b, "matmul");
        cl_mem om = mem(out, "matmul");
        sameDtype("matmul", a, out);
        sameDtype("matmul", b, out);
        if (out.numel() == 0) {
            return;
        }
        if (a.shape(a.dim() - 1) == 0) {
            fill(out, 0);   // an empty sum; the kernels would read nothing but the buffers may be empty
            return;
        }
        gemm().run(a, b, out, new Gemm.Buffers(am, bm, om));
    }

    // ------------------------------------------------------------------ indexing

    @Override
    public void gather(Tensor x, int dim, Tensor index, Tensor out) {
        cl_mem xm = mem(x, "gather");
        cl_mem im = mem(index, "gather");
        cl_mem om = mem(out, "gather");
        if (out.numel() == 0) {
            return;
        }
        gatherKernel("gather", x, dim, out, im, index.strides(), index.offset(), index.shape(), xm, om);
    }

    @Override
    public void indexSelect(Tensor x, int dim, Tensor index, Tensor out) {
        cl_mem xm = mem(x, "indexSelect");
        cl_mem im = mem(index, "indexSelect");
        cl_mem om = mem(out, "indexSelect");
        if (out.numel() == 0) {
            return;
        }
        gatherKernel("indexSelect", x, dim, out, im, alongOnly(out.dim(), dim, index.stride(0)), index.offset(), out.shape(), xm, om);
    }

    /** Strides that read a 1-d index as a tensor of full rank: its own stride on {@code dim}, 0 elsewhere. */
    private static int[] alongOnly(int rank, int dim, int stride) {
        int[] s = new int[rank];
        s[dim] = stride;
        return s;
    }

    private void gatherKernel(String what, Tensor x, int dim, Tensor out, cl_mem im, int[] indexStrides, int indexOffset,
                              int[] shape, cl_mem xm, cl_mem om) {
        int[] xStrides = x.strides();
        xStrides[dim] = 0;
        Walk w = Walk.of(what, shape, new int[][] {out.strides(), indexStrides, xStrides},
                new int[] {out.offset(), indexOffset, x.offset()});
        OpenClContext ctx = context();
        ctx.launch(what, ctx.kernel("indexing.cl", ctx.typeOptions(what, x.dtype()), "gather")).arg(w).arg(x.stride(dim)).arg(xm)
                .arg(im).arg(om).run(w.numel());
    }

    @Override
    public void scatterAdd(Tensor out, int dim, Tensor index, Tensor src) {
        cl_mem om = mem(out, "scatterAdd");
        cl_mem im = mem(index, "scatterAdd");
        cl_mem sm = mem(src, "scatterAdd");
        sameDtype("scatterAdd", src, out);
        if (index.numel() == 0) {
            return;
        }
        scatterKernel("scatterAdd", out, dim, src, index.shape(), im, index.strides(), index.offset(), sm, om);
    }

    @Override
    public void indexAdd(Tensor out, int dim, Tensor index, Tensor src) {
        cl_mem om = mem(out, "indexAdd");
        cl_mem im = mem(index, "indexAdd");
        cl_mem sm = mem(src, "indexAdd");
        sameDtype("indexAdd", src, out);
        if (src.numel() == 0) {
            return;
        }
        scatterKernel("indexAdd", out, dim, src, src.shape(), im, alongOnly(src.dim(), dim, index.stride(0)), index.offset(), sm, om);
    }

    private void scatterKernel(String what, Tensor out, int dim, Tensor src, int[] shape, cl_mem im, int[] indexStrides,
                               int indexOffset, cl_mem sm, cl_mem om) {
        int[] lines = shape.clone();
        lines[dim] = 1;
        int[] outStrides = out.strides();
        outStrides[dim] = 0;
        Walk w = Walk.of(what, lines, new int[][] {src.strides(), indexStrides, outStrides},
                new int[] {src.offset(), indexOffset, out.offset()});
        OpenClContext ctx = context();
        ctx.launch(what, ctx.kernel("indexing.cl", ctx.typeOptions(what, out.dtype()), "scatter_add")).arg(w).arg(shape[dim])
                .arg(src.stride(dim)).arg(indexStrides[dim]).arg(out.stride(dim)).arg(sm).arg(im).arg(om).run(w.numel());
    }

    // ------------------------------------------------------------------ random

    @Override
    public void randomUniform(Tensor out, long seed, long offset, double lo, double hi) {
        random("randomUniform", "random_uniform", out, seed, offset, lo, hi);
    }

    @Override
    public void randomNormal(Tensor out, long seed, long offset, double mean, double std) {
        random("randomNormal", "random_normal", out, seed, offset, mean, std);
    }

    private void random(String what, String kernel, Tensor out, long seed, long offset, double p, double q) {
        cl_mem om = mem(out, what);
        if (!out.dtype().isFloating()) {
            throw new IllegalArgumentException(name() + " " + what + ": needs a floating tensor, got " + out.dtype());
        }
        if (out.numel() == 0) {
            return;
        }
        OpenClContext ctx = context();
        // The kernel computes in double whenever the device can, for the CPU's exact stream.
        DType real = info.fp64 ? DType.FLOAT64 : DType.FLOAT32;
        ctx.launch(what, ctx.kernel("random.cl", ctx.typeOptions(what, out.dtype()), kernel)).arg(seed).arg(offset)
                .real(real, p).real(real, q).arg(out.numel()).arg(out.offset()).arg(om).run(out.numel());
    }

    // ------------------------------------------------------------------ checks

    /** The buffer behind {@code t}, after checking that it lives on this device and is still open. */
    private cl_mem mem(Tensor t, String op) {
        return own(t.storage(), op).mem(name() + " " + op);
    }

    private OpenClStorage own(Storage storage, String op) {
        if (storage instanceof OpenClStorage && ((OpenClStorage) storage).backend() == this) {
            return (OpenClStorage) storage;
        }
        throw new IllegalArgumentException(name() + " " + op + ": a tensor is on " + storage.device() + ", not " + device
                + "; move it with to(device) first");
    }

    private void sameDtype(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(name() + " " + op + ": dtypes " + a.dtype() + " and " + b.dtype() + " differ (shapes "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()) + ")");
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
