package io.tutti.opencl;

import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Batched matrix multiplication on one device: picks the tiled kernel ({@code gemm_tiled.cl}) or
 * the simple one ({@code matmul.cl}) per call, and the tile sizes once per device and dtype.
 *
 * <p>Tile sizes come from the device's limits: the largest candidate whose work-group fits the
 * device's and the built kernel's maximum work-group size and whose two local tiles fit local
 * memory. Bigger tiles mean more reuse of each loaded element (higher arithmetic intensity) and
 * 4x4 outputs per work-item keep sixteen accumulators in registers.
 */
final class Gemm {
    /** Products smaller than this (m * n * k) run on the simple kernel: a tile launch would be mostly padding. */
    static final long TILED_MIN_WORK = 4096;

    /** One tiled configuration: a TSM x TSN output tile, K in steps of TSK, WPTM x WPTN outputs per work-item. */
    record Tiles(int tsm, int tsn, int tsk, int wptm, int wptn) {
        int rowsOfThreads() {
            return tsm / wptm;
        }

        int columnsOfThreads() {
            return tsn / wptn;
        }

        int threads() {
            return rowsOfThreads() * columnsOfThreads();
        }

        /** Local memory of the two padded tiles. */
        long localBytes(DType dtype) {
            return (long) tsk * ((tsm + 1) + (tsn + 1)) * dtype.byteSize();
        }

        String options(boolean vector) {
            return String.format(Locale.ROOT, "-DTSM=%d -DTSN=%d -DTSK=%d -DWPTM=%d -DWPTN=%d -DVECTOR=%d", tsm, tsn, tsk, wptm,
                    wptn, vector ? 1 : 0);
        }
    }

    /** Largest first; every size is a multiple of 4 so that vector loads divide the tiles. */
    static final List<Tiles> CANDIDATES = List.of(
            new Tiles(64, 64, 16, 4, 4),   // 256 work-items, 16 outputs each
            new Tiles(32, 32, 16, 4, 4),   // 64 work-items
            new Tiles(16, 16, 16, 2, 2),   // 64 work-items
            new Tiles(8, 8, 8, 2, 2));     // 16 work-items

    private final OpenClContext ctx;
    private final Tiles[] chosen = new Tiles[DType.values().length];
    private final boolean[] probed = new boolean[DType.values().length];
    /** When set, used instead of the device-derived choice (benchmarks compare configurations with it). */
    volatile Tiles override;

    Gemm(OpenClContext ctx) {
        this.ctx = ctx;
    }

    void run(Tensor a, Tensor b, Tensor out, Buffers mems) {
        int r = out.dim();
        int m = out.shape(r - 2);
        int n = out.shape(r - 1);
        int k = a.shape(r - 1);
        int[] batchShape = Arrays.copyOf(out.shape(), r - 2);
        Walk batch = Walk.of("matmul", batchShape, new int[][] {Arrays.copyOf(out.strides(), r - 2),
            Arrays.copyOf(a.strides(), r - 2), Arrays.copyOf(b.strides(), r - 2)}, new int[] {out.offset(), a.offset(), b.offset()});
        DType dtype = out.dtype();
        int sAm = a.stride(r - 2);
        int sAk = a.stride(r - 1);
        int sBk = b.stride(r - 2);
        int sBn = b.stride(r - 1);
        Tiles tiles = dtype.isFloating() && (long) m * n * k >= TILED_MIN_WORK ? tiles(dtype) : null;
        if (tiles == null) {
            cl_kernel kernel = ctx.kernel("matmul.cl", ctx.typeOptions("matmul", dtype), "gemm_simple");
            args(ctx.launch("matmul", kernel), m, n, k, batch, sAm, sAk, sBk, sBn, out, mems)
                    .run(new long[] {n, m, batch.numel()}, null);
            return;
        }
        boolean vector = sAk == 1 && sBn == 1 && m % tiles.tsm() == 0 && n % tiles.tsn() == 0 && k % tiles.tsk() == 0;
        cl_kernel kernel = ctx.kernel("gemm_tiled.cl", ctx.typeOptions("matmul", dtype) + " " + tiles.options(vector), "gemm_tiled");
        long[] global = {(long) ceilDiv(n, tiles.tsn()) * tiles.columnsOfThreads(), (long) ceilDiv(m, tiles.tsm()) * tiles.rowsOfThreads(),
            batch.numel()};
        long[] local = {tiles.columnsOfThreads(), tiles.rowsOfThreads(), 1};
        args(ctx.launch("matmul", kernel), m, n, k, batch, sAm, sAk, sBk, sBn, out, mems).run(global, local);
    }

    private static OpenClContext.Launch args(OpenClContext.Launch launch, int m, int n, int k, Walk batch, int sAm, int sAk,
                                             int sBk, int sBn, Tensor out, Buffers mems) {
        int r = out.dim();
        return launch.arg(m).arg(n).arg(k).arg(batch).arg(sAm).arg(sAk).arg(sBk).arg(sBn).arg(out.stride(r - 2))
                .arg(out.stride(r - 1)).arg(mems.a()).arg(mems.b()).arg(mems.out());
    }

    /** The tile configuration for a dtype, or null when none fits (then the simple kernel runs). */
    synchronized Tiles tiles(DType dtype) {
        Tiles forced = override;
        if (forced != null) {
            return forced;
        }
        int i = dtype.ordinal();
        if (!probed[i]) {
            chosen[i] = choose(dtype);
            probed[i] = true;
        }
        return chosen[i];
    }

    private Tiles choose(DType dtype) {
        DeviceInfo info = ctx.info;
        for (Tiles t : CANDIDATES) {
            boolean fits = t.threads() <= info.maxWorkGroupSize
                    && t.columnsOfThreads() <= info.maxWorkItemSizes[0]
                    && t.rowsOfThreads() <= info.maxWorkItemSizes[1]
                    && t.localBytes(dtype) <= info.localMemBytes;
            if (!fits) {
                continue;
            }
            // The kernel's own limit depends on its register use, known only once it is built.
            cl_kernel kernel = ctx.kernel("gemm_tiled.cl", ctx.typeOptions("matmul", dtype) + " " + t.options(false), "gemm_tiled");
            if (ctx.kernelWorkGroupSize(kernel) >= t.threads()) {
                return t;
            }
        }
        return null;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The three buffers of one product. */
    record Buffers(cl_mem a, cl_mem b, cl_mem out) {
    }
}
