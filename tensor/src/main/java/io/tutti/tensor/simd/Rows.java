package io.tutti.tensor.simd;

import io.tutti.tensor.Parallel;

/**
 * Runs a row kernel over every row of a {@link Layout}, spread over {@link Parallel}. Kernels only
 * know two operand layouts, contiguous (stride 1) and broadcast (stride 0), with a contiguous
 * output; an operand with any other row stride is gathered into a small buffer first, and an output
 * with one is computed into a buffer and scattered, so every layout runs through the same kernel.
 */
final class Rows {
    /** Elements below which a call stays on the calling thread. */
    static final int GRAIN = 1 << 15;
    /** Buffer length for gathered (strided) rows. */
    private static final int CHUNK = 1024;

    /** One row of {@code n} elements: operands {@code 0..k-2} are inputs, the last is the output (stride 1). */
    @FunctionalInterface
    interface Kernel {
        void apply(float[][] arrays, int[] offsets, int[] strides, int n);
    }

    private final Layout layout;
    private final float[][] arrays;
    private final Kernel kernel;
    private final int pieces;
    private final boolean direct;

    private Rows(Layout layout, float[][] arrays, Kernel kernel) {
        this.layout = layout;
        this.arrays = arrays;
        this.kernel = kernel;
        // Few long rows: cut each row into pieces so that every thread gets work.
        this.pieces = layout.rows >= 4 * Parallel.threads() || layout.inner < 2 * GRAIN ? 1 : layout.inner / GRAIN;
        boolean d = true;
        int out = arrays.length - 1;
        for (int t = 0; t < out; t++) {
            d &= layout.innerStrides[t] == 0 || layout.innerStrides[t] == 1;
        }
        this.direct = d && layout.innerStrides[out] == 1;
    }

    /** Runs {@code kernel} over all rows of {@code layout}; {@code arrays} are the operands' storages, output last. */
    static void run(Layout layout, float[][] arrays, Kernel kernel) {
        Rows r = new Rows(layout, arrays, kernel);
        int tasks = layout.rows * r.pieces;
        long total = (long) layout.rows * layout.inner;
        if (total <= GRAIN) {
            r.runTasks(0, tasks);
        } else {
            int grain = (int) Math.max(1, (long) GRAIN * tasks / total);
            Parallel.forRange(tasks, grain, r::runTasks);
        }
    }

    private void runTasks(int from, int to) {
        int k = arrays.length;
        Odometer cursor = layout.cursor();
        float[][] arr = new float[k][];
        int[] off = new int[k];
        int[] st = new int[k];
        float[][] buffers = direct ? null : new float[k][];
        int row = from / pieces;
        cursor.seek(row);
        for (int task = from; task < to; task++) {
            int r = task / pieces;
            while (row < r) {
                cursor.next();
                row++;
            }
            int piece = task - r * pieces;
            int lo = (int) ((long) layout.inner * piece / pieces);
            int hi = (int) ((long) layout.inner * (piece + 1) / pieces);
            if (direct) {
                for (int t = 0; t < k; t++) {
                    arr[t] = arrays[t];
                    st[t] = layout.innerStrides[t];
                    off[t] = cursor.at[t] + lo * st[t];
                }
                kernel.apply(arr, off, st, hi - lo);
            } else {
                gathered(cursor.at, lo, hi - lo, arr, off, st, buffers);
            }
        }
    }

    private void gathered(int[] rowAt, int lo, int n, float[][] arr, int[] off, int[] st, float[][] buffers) {
        int k = arrays.length;
        int out = k - 1;
        for (int c = 0; c < n; c += CHUNK) {
            int m = Math.min(CHUNK, n - c);
            for (int t = 0; t < k; t++) {
                int s = layout.innerStrides[t];
                int base = rowAt[t] + (lo + c) * s;
                boolean asIs = t == out ? s == 1 : s == 0 || s == 1;
                if (asIs) {
                    arr[t] = arrays[t];
                    off[t] = base;
                    st[t] = s;
                } else {
                    if (buffers[t] == null) {
                        buffers[t] = new float[CHUNK];
                    }
                    if (t != out) {
                        gather(arrays[t], base, s, buffers[t], m);
                    }
                    arr[t] = buffers[t];
                    off[t] = 0;
                    st[t] = 1;
                }
            }
            kernel.apply(arr, off, st, m);
            int s = layout.innerStrides[out];
            if (s != 1) {
                scatter(buffers[out], arrays[out], rowAt[out] + (lo + c) * s, s, m);
            }
        }
    }

    private static void gather(float[] src, int at, int stride, float[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = src[at + i * stride];
        }
    }

    private static void scatter(float[] src, float[] dst, int at, int stride, int n) {
        for (int i = 0; i < n; i++) {
            dst[at + i * stride] = src[i];
        }
    }
}
