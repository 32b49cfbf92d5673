package io.tutti.tensor.simd;

import io.tutti.tensor.CpuStorage;
import io.tutti.tensor.Parallel;
import io.tutti.tensor.ReduceOp;
import io.tutti.tensor.Tensor;

/**
 * Plans a float32 {@code reduce(op, x, out)} onto the vector kernels of {@link VectorReduce}.
 *
 * <p>x's dimensions are ordered by decreasing stride (a reduction does not care about order, so a
 * transposed tensor looks contiguous), size-1 dimensions dropped, and neighbours of the same kind
 * (reduced or kept) merged where the strides allow. Two shapes have fast paths, both needing the
 * innermost group to be contiguous in x:
 * <ul>
 *   <li>innermost group reduced ("rows"): each output element folds whole rows, each reduced by a
 *       vector loop, e.g. {@code [N, C] -> [N, 1]} or a full sum;</li>
 *   <li>innermost group kept ("columns"): whole rows are added into an accumulator row, e.g. the
 *       bias gradient {@code [N, C] -> [1, C]} or {@code [B, T, C] -> [B, 1, C]}.</li>
 * </ul>
 * Anything else returns false and the caller falls back to the reference loops. Long folds are
 * blocked (partials over {@value #BLOCK} rows at a time, see {@link Cascade}) to keep the float
 * summation error small, and the order of every fold is fixed, so results do not depend on the
 * thread count.
 */
final class ReducePlan {
    private static final int BLOCK = Cascade.BLOCK;

    private final ReduceOp op;
    private final float[] xa;
    private final float[] oa;
    /** Kept outer groups, outer to inner: sizes and strides as [dimension][x, out]. */
    private final int[] keptSizes;
    private final int[][] keptStrides;
    /** Reduced outer groups: sizes and strides as [dimension][x]. */
    private final int[] reducedSizes;
    private final int[][] reducedStrides;
    private final int outputs;
    private final int rowsPerOutput;
    private final int inner;
    private final int innerOutStride;
    private final int xOffset;
    private final int outOffset;

    private ReducePlan(ReduceOp op, Tensor x, Tensor out, int[] size, int[] xStride, int[] outStride, boolean[] reduced,
            int groups) {
        this.op = op;
        this.xa = ((CpuStorage) x.storage()).floats();
        this.oa = ((CpuStorage) out.storage()).floats();
        this.xOffset = x.offset();
        this.outOffset = out.offset();
        this.inner = size[0];
        this.innerOutStride = outStride[0];
        int kept = 0;
        for (int g = 1; g < groups; g++) {
            kept += reduced[g] ? 0 : 1;
        }
        keptSizes = new int[kept];
        keptStrides = new int[kept][];
        reducedSizes = new int[groups - 1 - kept];
        reducedStrides = new int[groups - 1 - kept][];
        int k = 0;
        int r = 0;
        int outputs = 1;
        int rows = 1;
        for (int g = groups - 1; g >= 1; g--) {
            if (reduced[g]) {
                reducedSizes[r] = size[g];
                reducedStrides[r++] = new int[] {xStride[g]};
                rows *= size[g];
            } else {
                keptSizes[k] = size[g];
                keptStrides[k++] = new int[] {xStride[g], outStride[g]};
                outputs *= size[g];
            }
        }
        this.outputs = outputs;
        this.rowsPerOutput = rows;
    }

    /** Runs the reduction if a fast path fits; false leaves {@code out} untouched for the fallback. */
    static boolean run(ReduceOp op, Tensor x, Tensor out) {
        int[] shape = x.shape();
        int[] xStrides = x.strides();
        int[] outShape = out.shape();
        int[] outStrides = out.strides();
        int[] dims = new int[shape.length];
        int m = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1) {
                dims[m++] = d;
            }
        }
        // Stable insertion sort by decreasing x stride (ranks are small).
        for (int i = 1; i < m; i++) {
            for (int j = i; j > 0 && xStrides[dims[j - 1]] < xStrides[dims[j]]; j--) {
                int t = dims[j];
                dims[j] = dims[j - 1];
                dims[j - 1] = t;
            }
        }
        // Groups, innermost first.
        int[] size = new int[m];
        int[] gx = new int[m];
        int[] go = new int[m];
        boolean[] reduced = new boolean[m];
        int groups = 0;
        for (int i = m - 1; i >= 0; i--) {
            int d = dims[i];
            boolean red = outShape[d] == 1;
            int os = red ? 0 : outStrides[d];
            if (groups > 0 && reduced[groups - 1] == red && xStrides[d] == gx[groups - 1] * size[groups - 1]
                    && os == go[groups - 1] * size[groups - 1]) {
                size[groups - 1] *= shape[d];
                continue;
            }
            size[groups] = shape[d];
            gx[groups] = xStrides[d];
            go[groups] = os;
            reduced[groups] = red;
            groups++;
        }
        if (groups == 0) {
            ((CpuStorage) out.storage()).floats()[out.offset()] = ((CpuStorage) x.storage()).floats()[x.offset()];
            return true;
        }
        if (gx[0] != 1) {
            return false;
        }
        ReducePlan plan = new ReducePlan(op, x, out, size, gx, go, reduced, groups);
        if (reduced[0]) {
            plan.rows();
        } else {
            plan.columns();
        }
        return true;
    }

    // ---- innermost group reduced: every output folds rowsPerOutput rows of `inner` elements

    private void rows() {
        long total = (long) outputs * rowsPerOutput * inner;
        if (outputs == 1 && total > Rows.GRAIN) {
            singleOutputInParallel();
        } else if (total <= Rows.GRAIN) {
            rowOutputs(0, outputs);
        } else {
            int grain = (int) Math.max(1, Rows.GRAIN / ((long) rowsPerOutput * inner));
            Parallel.forRange(outputs, grain, this::rowOutputs);
        }
    }

    private void rowOutputs(int from, int to) {
        Odometer kept = new Odometer(keptSizes, keptStrides, new int[] {xOffset, outOffset});
        Odometer rows = new Odometer(reducedSizes, reducedStrides, new int[] {0});
        kept.seek(from);
        for (int e = from; e < to; e++) {
            float total = VectorReduce.identity(op);
            float block = total;
            for (int j = 0; j < rowsPerOutput; j++) {
                block = VectorReduce.combine(op, block, VectorReduce.row(op, xa, kept.at[0] + rows.at[0], inner));
                rows.next();
                if (j % BLOCK == BLOCK - 1 || j == rowsPerOutput - 1) {
                    total = VectorReduce.combine(op, total, block);
                    block = VectorReduce.identity(op);
                }
            }
            oa[kept.at[1]] = total;
            kept.next();
        }
    }

    /**
     * One output over many elements (a full sum, say): fixed pieces of every row reduce to partials
     * in parallel, and the partials are folded in order.
     */
    private void singleOutputInParallel() {
        int pieces = Math.max(1, inner / Rows.GRAIN);
        int count = rowsPerOutput * pieces;
        float[] partial = new float[count];
        int grain = (int) Math.max(1, (long) Rows.GRAIN * count / ((long) rowsPerOutput * inner));
        Parallel.forRange(count, grain, (from, to) -> {
            Odometer rows = new Odometer(reducedSizes, reducedStrides, new int[] {xOffset});
            int row = from / pieces;
            rows.seek(row);
            for (int t = from; t < to; t++) {
                while (row < t / pieces) {
                    rows.next();
                    row++;
                }
                int piece = t - row * pieces;
                int lo = (int) ((long) inner * piece / pieces);
                int hi = (int) ((long) inner * (piece + 1) / pieces);
                partial[t] = VectorReduce.row(op, xa, rows.at[0] + lo, hi - lo);
            }
        });
        oa[outOffset] = fold(partial, count);
    }

    private float fold(float[] values, int n) {
        float total = VectorReduce.identity(op);
        for (int b = 0; b < n; b += BLOCK) {
            float block = VectorReduce.identity(op);
            for (int i = b; i < Math.min(n, b + BLOCK); i++) {
                block = VectorReduce.combine(op, block, values[i]);
            }
            total = VectorReduce.combine(op, total, block);
        }
        return total;
    }

    // ---- innermost group kept: every output row accumulates rowsPerOutput rows of `inner` columns

    private void columns() {
        int threads = Parallel.threads();
        int pieces = outputs >= 2 * threads ? 1 : Math.max(1, Math.min(inner / 256, 2 * threads));
        int tasks = outputs * pieces;
        long total = (long) outputs * rowsPerOutput * inner;
        if (total <= Rows.GRAIN) {
            columnTasks(pieces, 0, tasks);
        } else {
            int grain = (int) Math.max(1, Rows.GRAIN * (long) tasks / total);
            Parallel.forRange(tasks, grain, (from, to) -> columnTasks(pieces, from, to));
        }
    }

    private void columnTasks(int pieces, int from, int to) {
        Odometer kept = new Odometer(keptSizes, keptStrides, new int[] {xOffset, outOffset});
        Odometer rows = new Odometer(reducedSizes, reducedStrides, new int[] {0});
        Cascade fold = new Cascade(op, (inner + pieces - 1) / pieces);
        int e = from / pieces;
        kept.seek(e);
        for (int t = from; t < to; t++) {
            while (e < t / pieces) {
                kept.next();
                e++;
            }
            int piece = t - e * pieces;
            int lo = (int) ((long) inner * piece / pieces);
            int n = (int) ((long) inner * (piece + 1) / pieces) - lo;
            int xBase = kept.at[0] + lo;
            fold.reset(n);
            rows.seek(0);
            for (int j = 0; j < rowsPerOutput; j++) {
                fold.add(xa, xBase + rows.at[0]);
                rows.next();
            }
            fold.result(oa, kept.at[1] + lo * innerOutStride, innerOutStride);
        }
    }
}
