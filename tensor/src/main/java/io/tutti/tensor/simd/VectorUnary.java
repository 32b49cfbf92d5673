package io.tutti.tensor.simd;

import io.tutti.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Float32 unary kernels over one contiguous row: {@code y[yo + i] = op(x[xo + i])}. Each op has its
 * own small loop method so that the JIT compiles it with the vector operations fully inlined (a
 * shared loop dispatching per element would box the vectors). The tail that does not fill a vector
 * goes through {@link FloatMath#apply}, which computes the same bits as the vector forms. {@code x}
 * and {@code y} may be the same row (in place).
 */
final class VectorUnary {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /**
     * Each op's loop, by ordinal. They are called through an interface rather than from a switch of
     * static calls because C2 inlined every hot loop of such a switch into one compilation, ran out
     * of its node budget, and boxed the vectors of the loops it reached last (exp, tanh and the
     * activations became 10x slower); behind a megamorphic call each loop is compiled on its own.
     */
    private static final VectorLoop[] LOOPS = loops();

    /** One op's loop over the whole vectors of a row; returns the index where the scalar tail starts. */
    private interface VectorLoop {
        int run(float[] x, int xo, float[] y, int yo, int n);
    }

    private VectorUnary() {
    }

    private static VectorLoop[] loops() {
        VectorLoop[] loops = new VectorLoop[UnaryOp.values().length];
        loops[UnaryOp.NEG.ordinal()] = VectorUnary::neg;
        loops[UnaryOp.EXP.ordinal()] = VectorUnary::exp;
        loops[UnaryOp.LOG.ordinal()] = VectorUnary::log;
        loops[UnaryOp.SQRT.ordinal()] = VectorUnary::sqrt;
        loops[UnaryOp.RSQRT.ordinal()] = VectorUnary::rsqrt;
        loops[UnaryOp.RECIPROCAL.ordinal()] = VectorUnary::reciprocal;
        loops[UnaryOp.SQUARE.ordinal()] = VectorUnary::square;
        loops[UnaryOp.ABS.ordinal()] = VectorUnary::abs;
        loops[UnaryOp.SIGN.ordinal()] = VectorUnary::sign;
        loops[UnaryOp.TANH.ordinal()] = FloatTranscendentals::tanhRow;
        loops[UnaryOp.SIGMOID.ordinal()] = FloatMath::sigmoidRow;
        loops[UnaryOp.RELU.ordinal()] = VectorUnary::relu;
        loops[UnaryOp.GELU.ordinal()] = FloatMath::geluRow;
        loops[UnaryOp.GELU_TANH.ordinal()] = FloatMath::geluTanhRow;
        loops[UnaryOp.SILU.ordinal()] = FloatMath::siluRow;
        loops[UnaryOp.GELU_GRAD.ordinal()] = FloatMath::geluGradRow;
        loops[UnaryOp.GELU_TANH_GRAD.ordinal()] = FloatMath::geluTanhGradRow;
        loops[UnaryOp.SILU_GRAD.ordinal()] = FloatMath::siluGradRow;
        for (UnaryOp op : UnaryOp.values()) {
            if (loops[op.ordinal()] == null) {
                throw new AssertionError("no vector loop for " + op);
            }
        }
        return loops;
    }

    /** Applies {@code op} to {@code n} elements; {@code xStride} is 1, or 0 for one value broadcast along the row. */
    static void apply(UnaryOp op, float[] x, int xo, int xStride, float[] y, int yo, int n) {
        if (xStride == 0) {
            Arrays.fill(y, yo, yo + n, FloatMath.apply(op, x[xo]));
            return;
        }
        int i = LOOPS[op.ordinal()].run(x, xo, y, yo, n);
        for (; i < n; i++) {
            y[yo + i] = FloatMath.apply(op, x[xo + i]);
        }
    }

    private static int neg(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            x.neg().intoArray(y, yo + i);
        }
        return i;
    }

    private static int exp(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatTranscendentals.exp(x).intoArray(y, yo + i);
        }
        return i;
    }

    private static int log(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatTranscendentals.log(x).intoArray(y, yo + i);
        }
        return i;
    }

    private static int sqrt(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            x.sqrt().intoArray(y, yo + i);
        }
        return i;
    }

    private static int rsqrt(float[] xs, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            one.div(x.sqrt()).intoArray(y, yo + i);
        }
        return i;
    }

    private static int reciprocal(float[] xs, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            one.div(x).intoArray(y, yo + i);
        }
        return i;
    }

    private static int square(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            x.mul(x).intoArray(y, yo + i);
        }
        return i;
    }

    private static int abs(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            x.abs().intoArray(y, yo + i);
        }
        return i;
    }

    private static int sign(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatMath.sign(x).intoArray(y, yo + i);
        }
        return i;
    }

    private static int relu(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatMath.relu(x).intoArray(y, yo + i);
        }
        return i;
    }
}
