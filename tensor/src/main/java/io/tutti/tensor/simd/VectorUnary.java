package io.tutti.tensor.simd;

import io.tutti.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Float32 unary kernels over one contiguous row: {@code y[yo + i] = op(x[xo + i])}. Each op has its
 * own small loop method so that the JIT compiles it with the vector operations fully inlined (a
 * shared loop dispatching per element would box the vectors). The tail that does not fill a vector
 * goes through {@link FloatMath#apply}. {@code x} and {@code y} may be the same row (in place).
 */
final class VectorUnary {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorUnary() {
    }

    /** Applies {@code op} to {@code n} elements; {@code xStride} is 1, or 0 for one value broadcast along the row. */
    static void apply(UnaryOp op, float[] x, int xo, int xStride, float[] y, int yo, int n) {
        if (xStride == 0) {
            Arrays.fill(y, yo, yo + n, FloatMath.apply(op, x[xo]));
            return;
        }
        int i;
        switch (op) {
            case NEG: i = neg(x, xo, y, yo, n); break;
            case EXP: i = exp(x, xo, y, yo, n); break;
            case LOG: i = log(x, xo, y, yo, n); break;
            case SQRT: i = sqrt(x, xo, y, yo, n); break;
            case RSQRT: i = rsqrt(x, xo, y, yo, n); break;
            case RECIPROCAL: i = reciprocal(x, xo, y, yo, n); break;
            case SQUARE: i = square(x, xo, y, yo, n); break;
            case ABS: i = abs(x, xo, y, yo, n); break;
            case SIGN: i = sign(x, xo, y, yo, n); break;
            case TANH: i = tanh(x, xo, y, yo, n); break;
            case SIGMOID: i = sigmoid(x, xo, y, yo, n); break;
            case RELU: i = relu(x, xo, y, yo, n); break;
            case GELU: i = gelu(x, xo, y, yo, n); break;
            case GELU_TANH: i = geluTanh(x, xo, y, yo, n); break;
            case SILU: i = silu(x, xo, y, yo, n); break;
            case GELU_GRAD: i = geluGrad(x, xo, y, yo, n); break;
            case GELU_TANH_GRAD: i = geluTanhGrad(x, xo, y, yo, n); break;
            case SILU_GRAD: i = siluGrad(x, xo, y, yo, n); break;
            default: throw new AssertionError(op);
        }
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
            x.lanewise(VectorOperators.EXP).intoArray(y, yo + i);
        }
        return i;
    }

    private static int log(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            x.lanewise(VectorOperators.LOG).intoArray(y, yo + i);
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

    private static int tanh(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            x.lanewise(VectorOperators.TANH).intoArray(y, yo + i);
        }
        return i;
    }

    private static int sigmoid(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatMath.sigmoid(x).intoArray(y, yo + i);
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

    private static int gelu(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            x.mul(FloatMath.phi(x)).intoArray(y, yo + i);
        }
        return i;
    }

    private static int geluTanh(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatMath.geluTanh(x).intoArray(y, yo + i);
        }
        return i;
    }

    private static int silu(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            x.mul(FloatMath.sigmoid(x)).intoArray(y, yo + i);
        }
        return i;
    }

    private static int geluGrad(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatMath.geluGrad(x).intoArray(y, yo + i);
        }
        return i;
    }

    private static int geluTanhGrad(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatMath.geluTanhGrad(x).intoArray(y, yo + i);
        }
        return i;
    }

    private static int siluGrad(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatMath.siluGrad(x).intoArray(y, yo + i);
        }
        return i;
    }
}
