package io.tutti.tensor.simd;

import io.tutti.tensor.Parallel;
import io.tutti.tensor.Window2d;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct max pooling over float planes with the index of each maximum: the simd backend's
 * {@code maxPool2d}. Each window is clipped to the real input first, so padding and
 * {@code ceil_mode}'s overhang are never read; that gives PyTorch's answers without a minus-infinity
 * copy: padding never beats a real element, and when every real element is minus infinity the
 * first real one is named. Within a window, taps are scanned row by row and a later tap wins only
 * when strictly greater or NaN (the first NaN then sticks), as the composite's argmax. Windows
 * wholly inside the input are done a vector of neighbouring windows at a time.
 */
final class MaxPoolPlanes {
    private static final int GRAIN_ELEMENTS = 1 << 14;
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    /** The int lanes matching {@link #FS} one for one, for the indices. */
    private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, FS.vectorShape());
    private static final int LANES = FS.length();
    /** Lane offsets {@code l * stride} for the small strides, built once. */
    private static final int[][] LANE_OFFSETS = {laneOffsets(0), laneOffsets(1), laneOffsets(2), laneOffsets(3), laneOffsets(4)};

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
                plane(x, xOff + p * h * w, w, win.dilationH(), win.dilationW(), win.strideW(), rows, cols, values, indices,
                        p * per);
            }
        });
    }

    private static void plane(float[] x, int base, int w, int dH, int dW, int sW, Clip rows, Clip cols, float[] values,
                              int[] indices, int at) {
        int outW = cols.start.length;
        for (int oh = 0; oh < rows.start.length; oh++, at += outW) {
            int top = rows.start[oh];
            int kiLo = rows.lo[oh];
            int kiHi = rows.hi[oh];
            int ow = 0;
            // Scalar until the windows are wholly inside, vectors across the interior, scalar again at the right border.
            for (; ow < cols.interiorLo; ow++) {
                scalar(x, base, w, dH, dW, top, kiLo, kiHi, cols.start[ow], cols.lo[ow], cols.hi[ow], values, indices, at + ow);
            }
            for (; ow + LANES <= cols.interiorHi; ow += LANES) {
                vector(x, base, w, dH, dW, sW, top, kiLo, kiHi, cols.start[ow], cols.hi[ow], values, indices, at + ow);
            }
            for (; ow < outW; ow++) {
                scalar(x, base, w, dH, dW, top, kiLo, kiHi, cols.start[ow], cols.lo[ow], cols.hi[ow], values, indices, at + ow);
            }
        }
    }

    private static void scalar(float[] x, int base, int w, int dH, int dW, int top, int kiLo, int kiHi, int left, int kjLo,
                               int kjHi, float[] values, int[] indices, int at) {
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

    /**
     * {@link #LANES} neighbouring windows at once, each lane following the scalar rule with masks
     * instead of branches (on data like activations the branch is a coin flip and mispredicts).
     * Lane {@code l}'s window starts {@code l * sW} columns after lane 0's: a plain load at stride
     * 1, a gather otherwise.
     */
    private static void vector(float[] x, int base, int w, int dH, int dW, int sW, int top, int kiLo, int kiHi, int left,
                               int kernelW, float[] values, int[] indices, int at) {
        int[] offsets = sW < LANE_OFFSETS.length ? LANE_OFFSETS[sW] : laneOffsets(sW);
        IntVector lane = IntVector.fromArray(IS, offsets, 0);
        FloatVector max = null;
        IntVector best = null;
        for (int ki = kiLo; ki < kiHi; ki++) {
            int row = (top + ki * dH) * w + left;
            for (int kj = 0; kj < kernelW; kj++) {
                int q = row + kj * dW;
                FloatVector v = sW == 1 ? FloatVector.fromArray(FS, x, base + q) : FloatVector.fromArray(FS, x, base + q, offsets, 0);
                IntVector qi = lane.add(q);
                if (max == null) {
                    max = v;
                    best = qi;
                    continue;
                }
                VectorMask<Float> take = v.compare(VectorOperators.GT, max)
                        .or(v.test(VectorOperators.IS_NAN).andNot(max.test(VectorOperators.IS_NAN)));
                max = max.blend(v, take);
                best = best.blend(qi, take.cast(IS));
            }
        }
        max.intoArray(values, at);
        best.intoArray(indices, at);
    }

    private static int[] laneOffsets(int stride) {
        int[] o = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            o[l] = l * stride;
        }
        return o;
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
