package io.tutti.tensor.simd;

import io.tutti.tensor.Parallel;
import io.tutti.tensor.Window2d;

import java.util.Arrays;

/**
 * Direct im2col and col2im on float arrays: the simd backend's {@code unfold2d} and {@code fold2d}.
 * The composite goes through a padded copy and an int32 index map, reading every element through
 * the map; here each (tap, output row) is one contiguous run of the input row, found by clipping
 * the window against the borders once, so padding costs nothing and stride-1 runs are array copies.
 *
 * <p>Layout ({@code torch.nn.functional.unfold}): for plane {@code p = n * C + c}, tap
 * {@code t = ki * kW + kj} and position {@code l = oh * outW + ow}, column element
 * {@code cols[(p * taps + t) * L + l]} is input {@code x[p * H * W + ih * W + iw]} with
 * {@code ih = oh * sH - pH + ki * dH}, {@code iw = ow * sW - pW + kj * dW}, or zero outside.
 * Every plane's rows are disjoint in both arrays, so planes run in parallel without conflicts,
 * in fold as well as unfold.
 */
final class Patches {
    /** Roughly the elements one parallel chunk should move, so that small calls stay on one thread. */
    private static final int GRAIN_ELEMENTS = 1 << 15;

    private Patches() {
    }

    /** Fills {@code cols} (zeroed or not: every element is written) from {@code planes} planes of {@code x}. */
    static void unfold(float[] x, int xOff, int planes, int h, int w, Window2d win, float[] cols) {
        int outH = win.outputHeight(h);
        int outW = win.outputWidth(w);
        int per = win.taps() * outH * outW;
        Parallel.forRange(planes, Math.max(1, GRAIN_ELEMENTS / Math.max(1, per)), (from, to) -> {
            for (int p = from; p < to; p++) {
                unfoldPlane(x, xOff + p * h * w, h, w, win, outH, outW, cols, p * per);
            }
        });
    }

    /** Sums {@code cols} into {@code out} (which must start zeroed), the adjoint of {@link #unfold}. */
    static void fold(float[] cols, int colsOff, int planes, int h, int w, Window2d win, float[] out) {
        int outH = win.outputHeight(h);
        int outW = win.outputWidth(w);
        int per = win.taps() * outH * outW;
        Parallel.forRange(planes, Math.max(1, GRAIN_ELEMENTS / Math.max(1, per)), (from, to) -> {
            for (int p = from; p < to; p++) {
                foldPlane(cols, colsOff + p * per, h, w, win, outH, outW, out, p * h * w);
            }
        });
    }

    static void unfoldPlane(float[] x, int base, int h, int w, Window2d win, int outH, int outW, float[] cols, int at) {
        int sW = win.strideW();
        for (int ki = 0; ki < win.kernelH(); ki++) {
            for (int kj = 0; kj < win.kernelW(); kj++) {
                int colShift = kj * win.dilationW() - win.padW();
                int lo = firstInside(colShift, sW, outW);
                int hi = endInside(colShift, sW, outW, w);
                for (int oh = 0; oh < outH; oh++, at += outW) {
                    int ih = oh * win.strideH() - win.padH() + ki * win.dilationH();
                    if (ih < 0 || ih >= h || lo >= hi) {
                        Arrays.fill(cols, at, at + outW, 0f);
                        continue;
                    }
                    Arrays.fill(cols, at, at + lo, 0f);
                    Arrays.fill(cols, at + hi, at + outW, 0f);
                    int src = base + ih * w + lo * sW + colShift;
                    if (sW == 1) {
                        System.arraycopy(x, src, cols, at + lo, hi - lo);
                    } else {
                        for (int ow = lo; ow < hi; ow++, src += sW) {
                            cols[at + ow] = x[src];
                        }
                    }
                }
            }
        }
    }

    static void foldPlane(float[] cols, int at, int h, int w, Window2d win, int outH, int outW, float[] out, int base) {
        int sW = win.strideW();
        for (int ki = 0; ki < win.kernelH(); ki++) {
            for (int kj = 0; kj < win.kernelW(); kj++) {
                int colShift = kj * win.dilationW() - win.padW();
                int lo = firstInside(colShift, sW, outW);
                int hi = endInside(colShift, sW, outW, w);
                for (int oh = 0; oh < outH; oh++, at += outW) {
                    int ih = oh * win.strideH() - win.padH() + ki * win.dilationH();
                    if (ih < 0 || ih >= h || lo >= hi) {
                        continue;
                    }
                    int dst = base + ih * w + lo * sW + colShift;
                    if (sW == 1) {
                        int src = at + lo;
                        for (int i = 0, n = hi - lo; i < n; i++) {
                            out[dst + i] += cols[src + i];
                        }
                    } else {
                        for (int ow = lo; ow < hi; ow++, dst += sW) {
                            out[dst] += cols[at + ow];
                        }
                    }
                }
            }
        }
    }

    /** The first output column {@code ow} whose input column {@code ow * stride + shift} is not negative. */
    private static int firstInside(int shift, int stride, int outW) {
        return shift >= 0 ? 0 : Math.min(outW, (-shift + stride - 1) / stride);
    }

    /** One past the last output column whose input column is below {@code w}. */
    private static int endInside(int shift, int stride, int outW, int w) {
        if (w - shift <= 0) {
            return 0;
        }
        return Math.min(outW, (w - shift - 1) / stride + 1);
    }
}
