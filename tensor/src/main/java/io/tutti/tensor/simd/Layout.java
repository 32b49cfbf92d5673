package io.tutti.tensor.simd;

import io.tutti.tensor.Tensor;

/**
 * The iteration space of an elementwise kernel over several strided operands of one shape, reduced
 * to "rows": the innermost dimension (after merging dimensions that every operand walks as one) is
 * a row of {@link #inner} elements, and the remaining outer dimensions are walked by an {@link Odometer}.
 * A contiguous tensor collapses to a single row; {@code [N, C] + [C]} collapses to N rows of C.
 */
final class Layout {
    /** Elements per row. */
    final int inner;
    /** Number of rows (product of the outer sizes). */
    final int rows;
    /** Step between consecutive row elements, per operand (0 for an operand broadcast along the row). */
    final int[] innerStrides;
    private final int[] outerShape;
    /** Outer strides as [dimension][operand], so that a cursor step touches one small array. */
    private final int[][] outerStrides;
    private final int[] offsets;

    private Layout(int inner, int rows, int[] innerStrides, int[] outerShape, int[][] outerStrides, int[] offsets) {
        this.inner = inner;
        this.rows = rows;
        this.innerStrides = innerStrides;
        this.outerShape = outerShape;
        this.outerStrides = outerStrides;
        this.offsets = offsets;
    }

    /** The layout of {@code operands}, all of which have {@code shape}. */
    static Layout of(int[] shape, Tensor... operands) {
        int k = operands.length;
        int[][] strides = new int[k][];
        int[] offsets = new int[k];
        for (int t = 0; t < k; t++) {
            strides[t] = operands[t].strides();
            offsets[t] = operands[t].offset();
        }
        // Collapse from the innermost dimension outwards; groups[g] lists sizes outer-to-inner later.
        int[] sizes = new int[shape.length];
        int[][] groupStrides = new int[shape.length][];
        int groups = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) {
                continue;
            }
            if (groups > 0 && mergeable(strides, d, groupStrides[groups - 1], sizes[groups - 1])) {
                sizes[groups - 1] *= shape[d];
                continue;
            }
            sizes[groups] = shape[d];
            int[] gs = new int[k];
            for (int t = 0; t < k; t++) {
                gs[t] = strides[t][d];
            }
            groupStrides[groups] = gs;
            groups++;
        }
        if (groups == 0) {
            return new Layout(1, 1, new int[k], new int[0], new int[0][], offsets);
        }
        int outer = groups - 1;
        int[] outerShape = new int[outer];
        int[][] outerStrides = new int[outer][];
        int rows = 1;
        for (int i = 0; i < outer; i++) {
            // groups are stored inner-first: group index groups-1 is the outermost
            outerShape[i] = sizes[groups - 1 - i];
            outerStrides[i] = groupStrides[groups - 1 - i];
            rows *= outerShape[i];
        }
        return new Layout(sizes[0], rows, groupStrides[0], outerShape, outerStrides, offsets);
    }

    private static boolean mergeable(int[][] strides, int d, int[] groupStride, int groupSize) {
        for (int t = 0; t < strides.length; t++) {
            if (strides[t][d] != groupStride[t] * groupSize) {
                return false;
            }
        }
        return true;
    }

    /** A fresh cursor over the rows (one per thread): {@code at[t]} is operand t's offset of the row's first element. */
    Odometer cursor() {
        return new Odometer(outerShape, outerStrides, offsets);
    }
}
