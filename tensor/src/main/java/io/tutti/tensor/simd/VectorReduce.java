package io.tutti.tensor.simd;

import io.tutti.tensor.ReduceOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 reduction kernels over contiguous rows: a whole row to one value ({@link #row}), a row
 * folded into an accumulator row ({@link #accumulate}), and the index of a row's extreme
 * ({@link #argRow}). MAX and MIN propagate NaN, as {@link ReduceOp#combine} does.
 *
 * <p>Sums run in several vector accumulators at once, flushed into a total every few dozen terms
 * per lane, so the rounding error grows far slower than in one running float sum.
 */
final class VectorReduce {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Elements a sum's vector accumulators take before they are added to its total (each lane then adds a few dozen terms). */
    private static final int SUM_CHUNK = 64 * L;

    private VectorReduce() {
    }

    /** The op's identity as a float (infinities for MAX and MIN). */
    static float identity(ReduceOp op) {
        return (float) op.identity();
    }

    /** Folds one value into an accumulator, in float. */
    static float combine(ReduceOp op, float acc, float x) {
        switch (op) {
            case SUM: return acc + x;
            case PROD: return acc * x;
            case MAX: return Math.max(acc, x);
            default: return Math.min(acc, x);
        }
    }

    /** Reduces {@code x[off .. off + n)} to one value ({@code n} may be 0: the identity). */
    static float row(ReduceOp op, float[] x, int off, int n) {
        switch (op) {
            case SUM: return sum(x, off, n);
            case PROD: return prod(x, off, n);
            case MAX: return max(x, off, n);
            default: return min(x, off, n);
        }
    }

    /** {@code acc[ao + i] = combine(acc[ao + i], x[xo + i])} for {@code i < n}. */
    static void accumulate(ReduceOp op, float[] acc, int ao, float[] x, int xo, int n) {
        switch (op) {
            case SUM: accumulateSum(acc, ao, x, xo, n); break;
            case PROD: accumulateProd(acc, ao, x, xo, n); break;
            case MAX: accumulateMax(acc, ao, x, xo, n); break;
            default: accumulateMin(acc, ao, x, xo, n); break;
        }
    }

    /**
     * Index of the first maximum ({@code op == MAX}) or minimum of {@code x[off .. off + n)}, or of
     * its first NaN if it has one; {@code n >= 1}. Finds the extreme value first, then its first
     * position, both with vectors.
     */
    static int argRow(ReduceOp op, float[] x, int off, int n) {
        float extreme = op == ReduceOp.MAX ? max(x, off, n) : min(x, off, n);
        return extreme != extreme ? firstNaN(x, off, n) : firstEqual(x, off, n, extreme);
    }

    private static float sum(float[] x, int off, int n) {
        // Four accumulators of L lanes, flushed every SUM_CHUNK elements into a running total.
        FloatVector total = FloatVector.zero(S);
        int i = 0;
        int whole = n - n % (4 * L);
        while (i < whole) {
            int chunkEnd = Math.min(whole, i + SUM_CHUNK);
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (; i < chunkEnd; i += 4 * L) {
                s0 = s0.add(FloatVector.fromArray(S, x, off + i));
                s1 = s1.add(FloatVector.fromArray(S, x, off + i + L));
                s2 = s2.add(FloatVector.fromArray(S, x, off + i + 2 * L));
                s3 = s3.add(FloatVector.fromArray(S, x, off + i + 3 * L));
            }
            total = total.add(s0.add(s1).add(s2.add(s3)));
        }
        FloatVector rest = FloatVector.zero(S);
        for (int end = S.loopBound(n); i < end; i += L) {
            rest = rest.add(FloatVector.fromArray(S, x, off + i));
        }
        float r = total.add(rest).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            r += x[off + i];
        }
        return r;
    }

    private static float prod(float[] x, int off, int n) {
        FloatVector p = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            p = p.mul(FloatVector.fromArray(S, x, off + i));
        }
        float r = p.reduceLanes(VectorOperators.MUL);
        for (; i < n; i++) {
            r *= x[off + i];
        }
        return r;
    }

    /**
     * The sum of v's lanes in a fixed order, from lane 0 up, so that it is the same in compiled and
     * interpreted code ({@code reduceLanes(ADD)} leaves the order unspecified). A pairwise tree
     * through the lanes array measured slower than this chain.
     */
    static float addLanes(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        float total = 0f;
        for (float lane : lanes) {
            total += lane;
        }
        return total;
    }

    static float max(float[] x, int off, int n) {
        FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            m = m.max(FloatVector.fromArray(S, x, off + i));
        }
        float r = m.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) {
            r = Math.max(r, x[off + i]);
        }
        return r;
    }

    private static float min(float[] x, int off, int n) {
        FloatVector m = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            m = m.min(FloatVector.fromArray(S, x, off + i));
        }
        float r = m.reduceLanes(VectorOperators.MIN);
        for (; i < n; i++) {
            r = Math.min(r, x[off + i]);
        }
        return r;
    }

    private static void accumulateSum(float[] acc, int ao, float[] x, int xo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(S, acc, ao + i).add(FloatVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        }
        for (; i < n; i++) {
            acc[ao + i] += x[xo + i];
        }
    }

    private static void accumulateProd(float[] acc, int ao, float[] x, int xo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(S, acc, ao + i).mul(FloatVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        }
        for (; i < n; i++) {
            acc[ao + i] *= x[xo + i];
        }
    }

    private static void accumulateMax(float[] acc, int ao, float[] x, int xo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(S, acc, ao + i).max(FloatVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        }
        for (; i < n; i++) {
            acc[ao + i] = Math.max(acc[ao + i], x[xo + i]);
        }
    }

    private static void accumulateMin(float[] acc, int ao, float[] x, int xo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(S, acc, ao + i).min(FloatVector.fromArray(S, x, xo + i)).intoArray(acc, ao + i);
        }
        for (; i < n; i++) {
            acc[ao + i] = Math.min(acc[ao + i], x[xo + i]);
        }
    }

    private static int firstEqual(float[] x, int off, int n, float value) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            VectorMask<Float> hit = FloatVector.fromArray(S, x, off + i).compare(VectorOperators.EQ, value);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < n; i++) {
            if (x[off + i] == value) {
                return i;
            }
        }
        throw new AssertionError("argRow: extreme value not found");
    }

    private static int firstNaN(float[] x, int off, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, off + i);
            VectorMask<Float> hit = v.compare(VectorOperators.NE, v);
            if (hit.anyTrue()) {
                return i + hit.firstTrue();
            }
        }
        for (; i < n; i++) {
            if (x[off + i] != x[off + i]) {
                return i;
            }
        }
        throw new AssertionError("argRow: NaN not found");
    }
}
