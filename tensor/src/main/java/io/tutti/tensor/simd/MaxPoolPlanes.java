package io.tutti.tensor.simd;

import io.tutti.tensor.Parallel;
import io.tutti.tensor.Window2d;

/**
 * Direct max pooling over float planes with the index of each maximum: the simd backend's
 * {@code maxPool2d}. Each window is clipped to the real input first, so padding and
 * {@code ceil_mode}'s overhang are never read; that gives PyTorch's answers without a minus-infinity
 * copy: padding never beats a real element, and when every real element is minus infinity the
 * first real one is named. Within a window, taps are scanned row by row and a later tap wins only
 * when strictly greater or NaN (the first NaN then sticks), as the composite's argmax.
 */
final class MaxPoolPlanes {
    private static final int GRAIN_ELEMENTS = 1 << 14;

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
            for (int p = from; p < to; p++) {
                plane(x, xOff + p * h * w, w, win.dilationH(), win.dilationW(), rows, cols, values, indices, p * per);
            }
        });
    }

    private static void plane(float[] x, int base, int w, int dH, int dW, Clip rows, Clip cols, float[] values, int[] indices,
                              int at) {
        for (int oh = 0; oh < rows.start.length; oh++) {
            int top = rows.start[oh];
            int kiLo = rows.lo[oh];
            int kiHi = rows.hi[oh];
            for (int ow = 0; ow < cols.start.length; ow++, at++) {
                int left = cols.start[ow];
                int kjLo = cols.lo[ow];
                int kjHi = cols.hi[ow];
                int best = (top + kiLo * dH) * w + left + kjLo * dW;
                float max = x[base + best];
                for (int ki = kiLo; ki < kiHi; ki++) {
                    int row = (top + ki * dH) * w + left;
                    for (int kj = kjLo; kj < kjHi; kj++) {
                        int i = row + kj * dW;
                        float v = x[base + i];
                        if (v > max || (v != v && max == max)) {
                            max = v;
                            best = i;
                        }
                    }
                }
                values[at] = max;
                indices[at] = best;
            }
        }
    }

    /** Per window position along one axis: its first input coordinate and the range of taps inside the input. */
    private static final class Clip {
        final int[] start;
        final int[] lo;
        final int[] hi;

        Clip(int positions, int stride, int pad, int dilation, int kernel, int size) {
            start = new int[positions];
            lo = new int[positions];
            hi = new int[positions];
            for (int o = 0; o < positions; o++) {
                start[o] = o * stride - pad;
                lo[o] = firstTap(start[o], dilation);
                hi[o] = endTap(start[o], dilation, kernel, size);
            }
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
