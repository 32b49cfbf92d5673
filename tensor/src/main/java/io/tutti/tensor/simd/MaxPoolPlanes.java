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
        int per = outH * outW;
        int work = Math.max(1, per * win.taps());
        Parallel.forRange(planes, Math.max(1, GRAIN_ELEMENTS / work), (from, to) -> {
            for (int p = from; p < to; p++) {
                plane(x, xOff + p * h * w, h, w, win, outH, outW, values, indices, p * per);
            }
        });
    }

    private static void plane(float[] x, int base, int h, int w, Window2d win, int outH, int outW, float[] values,
                              int[] indices, int at) {
        int dH = win.dilationH();
        int dW = win.dilationW();
        for (int oh = 0; oh < outH; oh++) {
            int top = oh * win.strideH() - win.padH();
            int kiLo = firstTap(top, dH);
            int kiHi = endTap(top, dH, win.kernelH(), h);
            for (int ow = 0; ow < outW; ow++, at++) {
                int left = ow * win.strideW() - win.padW();
                int kjLo = firstTap(left, dW);
                int kjHi = endTap(left, dW, win.kernelW(), w);
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

    /** The first tap {@code k} with {@code start + k * dilation >= 0}. */
    private static int firstTap(int start, int dilation) {
        return start >= 0 ? 0 : (-start + dilation - 1) / dilation;
    }

    /** One past the last tap below {@code kernel} with {@code start + k * dilation < size}. */
    private static int endTap(int start, int dilation, int kernel, int size) {
        return Math.min(kernel, Math.floorDiv(size - 1 - start, dilation) + 1);
    }
}
