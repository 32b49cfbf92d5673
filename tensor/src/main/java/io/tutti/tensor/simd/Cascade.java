package io.tutti.tensor.simd;

import io.tutti.tensor.ReduceOp;

import java.util.Arrays;

/**
 * Folds many rows into one accumulator row with bounded float error: rows go into a level-0 partial,
 * every {@value #BLOCK} level-0 rows are folded into level 1, and so on, like a counter carrying
 * into the next digit. No partial ever takes more than {@value #BLOCK} terms below the top level, so
 * a column sum over N rows has an error growing with about {@code LEVELS * BLOCK} roundings instead
 * of N. The fold order depends only on the number of rows.
 */
final class Cascade {
    static final int BLOCK = 64;
    private static final int LEVELS = 4;

    private final ReduceOp op;
    private final float[][] partial;
    private final int[] count = new int[LEVELS];
    private int width;

    Cascade(ReduceOp op, int capacity) {
        this.op = op;
        this.partial = new float[LEVELS][capacity];
    }

    /** Starts a new fold of rows of {@code width} elements. */
    void reset(int width) {
        this.width = width;
        Arrays.fill(count, 0);
    }

    /** Folds in {@code x[off .. off + width)}. */
    void add(float[] x, int off) {
        into(0, x, off);
    }

    /** Writes the fold of every row added so far to {@code out[at + i * stride]}; the identity if none. */
    void result(float[] out, int at, int stride) {
        int top = LEVELS - 1;
        for (int level = 0; level < top; level++) {
            if (count[level] > 0) {
                carry(level, false);
            }
        }
        if (count[top] == 0) {
            Arrays.fill(partial[top], 0, width, VectorReduce.identity(op));
        }
        float[] r = partial[top];
        if (stride == 1) {
            System.arraycopy(r, 0, out, at, width);
        } else {
            for (int i = 0; i < width; i++) {
                out[at + i * stride] = r[i];
            }
        }
    }

    private void into(int level, float[] x, int off) {
        if (count[level] == 0) {
            System.arraycopy(x, off, partial[level], 0, width);
        } else {
            VectorReduce.accumulate(op, partial[level], 0, x, off, width);
        }
        count[level]++;
        if (count[level] == BLOCK && level < LEVELS - 1) {
            carry(level, true);
        }
    }

    private void carry(int level, boolean cascade) {
        int next = level + 1;
        if (count[next] == 0) {
            System.arraycopy(partial[level], 0, partial[next], 0, width);
        } else {
            VectorReduce.accumulate(op, partial[next], 0, partial[level], 0, width);
        }
        count[next]++;
        count[level] = 0;
        if (cascade && count[next] == BLOCK && next < LEVELS - 1) {
            carry(next, true);
        }
    }
}
