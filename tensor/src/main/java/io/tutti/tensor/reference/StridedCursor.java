package io.tutti.tensor.reference;

import io.tutti.tensor.Tensor;

/**
 * Walks a shape in row-major order while keeping, for each of several tensors, the storage offset of
 * the current element. Advancing is an odometer: bump the last index, carry into earlier ones.
 */
final class StridedCursor {
    private final int[] shape;
    private final int[][] strides;
    private final int[] index;
    /** Storage offset of the current element, one per tensor. */
    final int[] at;

    StridedCursor(int[] shape, Tensor... tensors) {
        this(shape, stridesOf(tensors), offsetsOf(tensors));
    }

    /** A cursor with explicit strides per tensor, for walks where one tensor skips a dimension (stride 0). */
    StridedCursor(int[] shape, int[][] strides, int[] offsets) {
        this.shape = shape;
        this.index = new int[shape.length];
        this.strides = strides;
        this.at = offsets.clone();
    }

    private static int[][] stridesOf(Tensor[] tensors) {
        int[][] s = new int[tensors.length][];
        for (int t = 0; t < tensors.length; t++) {
            s[t] = tensors[t].strides();
        }
        return s;
    }

    private static int[] offsetsOf(Tensor[] tensors) {
        int[] o = new int[tensors.length];
        for (int t = 0; t < tensors.length; t++) {
            o[t] = tensors[t].offset();
        }
        return o;
    }

    /** Moves to the next element; returns false after the last. */
    boolean next() {
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d]++;
            for (int t = 0; t < at.length; t++) {
                at[t] += strides[t][d];
            }
            if (index[d] < shape[d]) {
                return true;
            }
            for (int t = 0; t < at.length; t++) {
                at[t] -= strides[t][d] * shape[d];
            }
            index[d] = 0;
        }
        return false;
    }

    /** The current multi-index (do not modify). */
    int[] index() {
        return index;
    }
}
