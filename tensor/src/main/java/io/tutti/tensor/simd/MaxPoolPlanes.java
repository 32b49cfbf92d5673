package io.tutti.tensor.simd;

import io.tutti.tensor.Parallel;
import io.tutti.tensor.Window2d;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct max pooling over float planes with the index of each maximum: the simd backend's
 * {@code maxPool2d}. Each window is clipped to the real input first, so padding and
 * {@code ceil_mode}'s overhang are never read; that gives PyTorch's answers without a minus-infinity
 * copy: padding never beats a real element, and when every real element is minus infinity the
 * first real one is named. Within a window, taps are scanned row by row and a later tap wins only
 * when strictly greater or NaN (the first NaN then sticks), as the composite's argmax.
 *
 * <p>In each output row, the windows that lie inside the input across its width are done together
 * by {@link DenseRow} with contiguous vector loads, however few they are (a CNN's 2x2 pool of a
 * 14-wide plane has 7); the clipped windows at the borders, and the last rows of the array where
 * the vector would read past its end, are done one by one with {@link FirstMax#key}, branch-free.
 */
final class MaxPoolPlanes {
    private static final int GRAIN_ELEMENTS = 1 << 14;
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    /** The int lanes matching {@link #FS} one for one, for the indices. */
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, FS.vectorShape());
    private static final int LANES = FS.length();

    private MaxPoolPlanes() {
    }

    static void run(float[] x, int xOff, int planes, int h, int w, Window2d win, int outH, int outW, float[] values,
                    int[] indices) {
        // Clipping a window against the borders takes divisions; do them once per row and column.
        Clip rows = new Clip(outH, win.strideH(), win.padH(), win.dilationH(), win.kernelH(), h);
        Clip cols = new Clip(outW, win.strideW(), win.padW(), win.dilationW(), win.kernelW(), w);
        int per = outH * outW;
        int work = Math.max(1, per * win.taps());
        Parallel.forRange(planes, Math.max(1, GRAIN_ELEMENTS / work), (from, to) -> {
            DenseRow row = new DenseRow(x, w, win, cols);
            for (int p = from; p < to; p++) {
                plane(x, xOff + p * h * w, w, win, rows, cols, row, values, indices, p * per);
            }
        });
    }

    private static void plane(float[] x, int base, int w, Window2d win, Clip rows, Clip cols, DenseRow row, float[] values,
                              int[] indices, int at) {
        int outW = cols.start.length;
        int dH = win.dilationH();
        int dW = win.dilationW();
        for (int oh = 0; oh < rows.start.length; oh++, at += outW) {
            int top = rows.start[oh];
            int kiLo = rows.lo[oh];
            int kiHi = rows.hi[oh];
            int ow = 0;
            // Clipped windows one by one at the left border, the interior all at once, then the right border.
            if (row.fits(base, top, kiHi)) {
                for (; ow < cols.interiorLo; ow++) {
                    scalar(x, base, w, dH, dW, top, kiLo, kiHi, cols.start[ow], cols.lo[ow], cols.hi[ow], values, indices, at + ow);
                }
                row.pool(base, top, kiLo, kiHi, values, indices, at);
                ow = cols.interiorHi;
            }
            for (; ow < outW; ow++) {
                scalar(x, base, w, dH, dW, top, kiLo, kiHi, cols.start[ow], cols.lo[ow], cols.hi[ow], values, indices, at + ow);
            }
        }
    }

    /** One window, clipped to the taps {@code [kiLo, kiHi) x [kjLo, kjHi)}, compared on {@link FirstMax#key keys}. */
    private static void scalar(float[] x, int base, int w, int dH, int dW, int top, int kiLo, int kiHi, int left, int kjLo,
                               int kjHi, float[] values, int[] indices, int at) {
        int best = (top + kiLo * dH) * w + left + kjLo * dW;
        int max = FirstMax.key(x[base + best]);
        for (int ki = kiLo; ki < kiHi; ki++) {
            int row = (top + ki * dH) * w + left;
            for (int kj = kjLo; kj < kjHi; kj++) {
                int i = row + kj * dW;
                int v = FirstMax.key(x[base + i]);
                best = v > max ? i : best;
                max = Math.max(max, v);
            }
        }
        values[at] = x[base + best];
        indices[at] = best;
    }

    /**
     * The windows of one output row that lie wholly inside the input across its width, pooled with
     * contiguous loads: a vector of lanes computes the window starting at every column from the
     * first such window's to the last's, and every stride-th lane is kept. With stride 2 half the
     * lanes are thrown away, still cheaper than gathering every stride-th element. A lane follows
     * {@link FirstMax#beats} over the taps in scan order. Holds one thread's scratch row.
     */
    private static final class DenseRow {
        private final float[] x;
        private final int w;
        private final int strideW;
        private final int kernelW;
        private final int dilationH;
        private final int dilationW;
        /** Offset of each tap from its window's top-left element, row by row. */
        private final int[] taps;
        /** The interior windows {@code [first, end)} of every output row, and the input column the first starts at. */
        private final int first;
        private final int end;
        private final int left;
        /** Columns the lanes cover, rounded up to whole vectors. */
        private final int columns;
        private final float[] rowMax;
        private final int[] rowBest;
        private final IntVector lane;

        DenseRow(float[] x, int w, Window2d win, Clip cols) {
            this.x = x;
            this.w = w;
            this.strideW = win.strideW();
            this.kernelW = win.kernelW();
            this.dilationH = win.dilationH();
            this.dilationW = win.dilationW();
            this.taps = new int[win.taps()];
            for (int ki = 0; ki < win.kernelH(); ki++) {
                for (int kj = 0; kj < kernelW; kj++) {
                    taps[ki * kernelW + kj] = ki * dilationH * w + kj * dilationW;
                }
            }
            this.first = cols.interiorLo;
            this.end = cols.interiorHi;
            this.left = first < end ? cols.start[first] : 0;
            int starts = first < end ? (end - first - 1) * strideW + 1 : 0;
            this.columns = (starts + LANES - 1) / LANES * LANES;
            this.rowMax = new float[columns];
            this.rowBest = new int[columns];
            this.lane = IntVector.zero(IS).addIndex(1);
        }

        /**
         * Whether the row of windows starting at input row {@code top} can be done here: it has
         * interior windows, and the lanes past its end (whose answers are dropped) still read inside
         * the array.
         */
        boolean fits(int base, int top, int kiHi) {
            if (first >= end) {
                return false;
            }
            int lastRow = top + (kiHi - 1) * dilationH;
            return (long) base + (long) lastRow * w + left + columns + (long) (kernelW - 1) * dilationW <= x.length;
        }

        void pool(int base, int top, int kiLo, int kiHi, float[] values, int[] indices, int at) {
            int origin = top * w + left;
            int firstTap = kiLo * kernelW;
            int endTap = kiHi * kernelW;
            for (int c = 0; c < columns; c += LANES) {
                // One flat loop over the taps, the first one peeled: JDK 17 keeps vectors in registers across such a
                // loop, not across nested loops or a null start.
                int q = origin + c + taps[firstTap];
                FloatVector max = FloatVector.fromArray(FS, x, base + q);
                IntVector best = lane.add(q);
                for (int t = firstTap + 1; t < endTap; t++) {
                    q = origin + c + taps[t];
                    FloatVector v = FloatVector.fromArray(FS, x, base + q);
                    VectorMask<Float> take = FirstMax.beats(v, max);
                    max = max.blend(v, take);
                    best = FirstMax.select(best, lane.add(q), take);
                }
                max.intoArray(rowMax, c);
                best.intoArray(rowBest, c);
            }
            if (strideW == 1) {
                System.arraycopy(rowMax, 0, values, at + first, end - first);
                System.arraycopy(rowBest, 0, indices, at + first, end - first);
                return;
            }
            for (int ow = first, c = 0; ow < end; ow++, c += strideW) {
                values[at + ow] = rowMax[c];
                indices[at + ow] = rowBest[c];
            }
        }
    }

    /** Per window position along one axis: its first input coordinate and the range of taps inside the input. */
    private static final class Clip {
        final int[] start;
        final int[] lo;
        final int[] hi;
        /** The positions {@code [interiorLo, interiorHi)} whose windows lie wholly inside the input (empty if none). */
        final int interiorLo;
        final int interiorHi;

        Clip(int positions, int stride, int pad, int dilation, int kernel, int size) {
            start = new int[positions];
            lo = new int[positions];
            hi = new int[positions];
            for (int o = 0; o < positions; o++) {
                start[o] = o * stride - pad;
                lo[o] = firstTap(start[o], dilation);
                hi[o] = endTap(start[o], dilation, kernel, size);
            }
            int first = 0;
            while (first < positions && (lo[first] != 0 || hi[first] != kernel)) {
                first++;
            }
            int end = first;
            while (end < positions && lo[end] == 0 && hi[end] == kernel) {
                end++;
            }
            interiorLo = first;
            interiorHi = end;
        }
    }

    /** The first tap {@code k} with {@code start + k * dilation >= 0}. */
    private static int firstTap(int start, int dilation) {
        return start >= 0 ? 0 : (-start + dilation - 1) / dilation;
    }

    /** One past the last tap below {@code kernel} with {@code start + k * dilation < size}. */
    private static int endTap(int start, int dilation, int kernel, int size) {
        return Math.min(kernel, Math.floorDiv(size - 1 - start, dilation) + 1);
    }
}
