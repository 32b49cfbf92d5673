package io.tutti.opencl;

import io.tutti.tensor.Tensor;

import java.util.Arrays;

/**
 * How a kernel walks a shape over several strided operands, packed as the {@code Walk} struct of
 * {@code common.cl} and passed by value. Before packing, dimensions of size 1 are dropped and
 * neighbouring dimensions that every operand steps through evenly are merged, so a contiguous
 * tensor becomes a rank-1 walk and most views need far fewer than {@link #MAX_RANK} dimensions.
 */
final class Walk {
    static final int MAX_RANK = 8;
    static final int MAX_OPERANDS = 4;
    /** rank, numel, shape[MAX_RANK], offset[MAX_OPERANDS], stride[MAX_OPERANDS][MAX_RANK]. */
    static final int INTS = 2 + MAX_RANK + MAX_OPERANDS + MAX_OPERANDS * MAX_RANK;

    private final int[] packed;
    private final int numel;

    private Walk(int[] packed, int numel) {
        this.packed = packed;
        this.numel = numel;
    }

    /** A walk over {@code shape} reading each tensor through its own strides and offset. */
    static Walk of(String op, int[] shape, Tensor... operands) {
        int[][] strides = new int[operands.length][];
        int[] offsets = new int[operands.length];
        for (int t = 0; t < operands.length; t++) {
            strides[t] = operands[t].strides();
            offsets[t] = operands[t].offset();
        }
        return of(op, shape, strides, offsets);
    }

    /** A walk with explicit strides and offsets per operand (one stride per dimension of {@code shape}). */
    static Walk of(String op, int[] shape, int[][] strides, int[] offsets) {
        int operands = strides.length;
        if (operands > MAX_OPERANDS) {
            throw new IllegalArgumentException(op + ": " + operands + " operands, the kernels take at most " + MAX_OPERANDS);
        }
        int[] sizes = new int[shape.length];
        int[][] steps = new int[operands][shape.length];
        int rank = 0;
        long numel = 1;
        for (int d = 0; d < shape.length; d++) {
            numel *= shape[d];
            if (shape[d] == 1) {
                continue;
            }
            if (rank > 0 && mergeable(steps, rank - 1, strides, d, shape[d])) {
                sizes[rank - 1] *= shape[d];
                for (int t = 0; t < operands; t++) {
                    steps[t][rank - 1] = strides[t][d];
                }
            } else {
                sizes[rank] = shape[d];
                for (int t = 0; t < operands; t++) {
                    steps[t][rank] = strides[t][d];
                }
                rank++;
            }
        }
        if (numel == 0) {
            rank = 0;
        } else if (rank > MAX_RANK) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(shape) + " with these strides needs " + rank
                    + " dimensions after merging, more than the OpenCL kernels' " + MAX_RANK + "; make the operands contiguous first");
        }
        int[] p = new int[INTS];
        p[0] = rank;
        p[1] = (int) numel;
        System.arraycopy(sizes, 0, p, 2, rank);
        System.arraycopy(offsets, 0, p, 2 + MAX_RANK, operands);
        for (int t = 0; t < operands; t++) {
            System.arraycopy(steps[t], 0, p, 2 + MAX_RANK + MAX_OPERANDS + t * MAX_RANK, rank);
        }
        return new Walk(p, (int) numel);
    }

    /** Whether the block so far (innermost stride {@code steps[t][last]}) continues evenly into dimension d. */
    private static boolean mergeable(int[][] steps, int last, int[][] strides, int d, int size) {
        for (int t = 0; t < steps.length; t++) {
            if (steps[t][last] != strides[t][d] * size) {
                return false;
            }
        }
        return true;
    }

    int numel() {
        return numel;
    }

    /** Rank after merging (tests use it to check that merging happens). */
    int rank() {
        return packed[0];
    }

    int[] packed() {
        return packed;
    }
}
