package io.tutti.tensor.simd;

import io.tutti.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 formulas of the unary ops that have no single {@link VectorOperators} counterpart, each
 * in a vector form (for the kernels' main loops) and a scalar form (for their tails), written side by
 * side with the same arithmetic so that a lane and a tail element agree bit for bit. For the ops that
 * use exp the vector form is a whole row loop (see the note above {@link #sigmoid(float)}). Every
 * exp, log and tanh goes through {@link FloatTranscendentals} for the same reason, and so that the
 * result does not depend on whether C2 has compiled the kernel.
 *
 * <p>The formulas avoid cancellation where the double definitions in
 * {@link io.tutti.tensor.ScalarMath} can afford it and float cannot: sigmoid is evaluated from
 * {@code exp(-|x|)} so it never overflows, GELU-tanh as {@code x * sigmoid(2u)} instead of
 * {@code 0.5 x (1 + tanh u)}, and the normal CDF of the exact GELU from {@code erfc} in the tails.
 */
final class FloatMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static final float INV_SQRT_2 = 0.70710677f;
    private static final float INV_SQRT_2PI = 0.3989423f;
    private static final float SQRT_2_OVER_PI = 0.7978846f;
    private static final float TANH_CUBIC = 0.044715f;
    /** Beyond this magnitude GELU-tanh's derivative is exactly 0 or 1 in float, and x^2 would overflow. */
    private static final float GELU_TANH_GRAD_CLAMP = 1e4f;

    /*
     * The normal CDF Phi(x) = (1 + erf(x / sqrt 2)) / 2 in two ranges of z = x / sqrt 2, with
     * coefficients fitted for this class (weighted least squares on the relative error, against a
     * 40-digit erf):
     *   |z| < 1:  erf(z) = z * P(z^2),                          relative error 4e-8;
     *   |z| >= 1: erfc(|z|) = exp(-z^2) * Q(1 / (1 + |z|/2)),   relative error 6e-9 up to |z| = 10,
     *             beyond which exp(-z^2) is zero in float anyway.
     * Phi is then 1/2 + erf/2 near zero, 1 - erfc/2 on the right and erfc/2 on the left, which keeps
     * its relative accuracy far into the left tail. Measured in float: |Phi error| < 1e-7.
     */
    private static final float ERF_SPLIT = 1f;
    private static final float P0 = 1.1283791f;
    private static final float P1 = -0.37612328f;
    private static final float P2 = 0.11280183f;
    private static final float P3 = -0.026711365f;
    private static final float P4 = 0.004917604f;
    private static final float P5 = -5.6316116e-4f;
    private static final float Q0 = -4.1033718e-6f;
    private static final float Q1 = 0.2821994f;
    private static final float Q2 = 0.28099078f;
    private static final float Q3 = 0.25296736f;
    private static final float Q4 = 0.15804146f;
    private static final float Q5 = 0.10534242f;
    private static final float Q6 = 0.025060637f;
    private static final float Q7 = -0.18504095f;
    private static final float Q8 = 0.08089128f;

    private FloatMath() {
    }

    /** The scalar float value of {@code op} at {@code x}; what every kernel computes, one element at a time. */
    static float apply(UnaryOp op, float x) {
        switch (op) {
            case NEG: return -x;
            case EXP: return FloatTranscendentals.exp(x);
            case LOG: return FloatTranscendentals.log(x);
            case SQRT: return (float) Math.sqrt(x);
            case RSQRT: return 1f / (float) Math.sqrt(x);
            case RECIPROCAL: return 1f / x;
            case SQUARE: return x * x;
            case ABS: return Math.abs(x);
            case SIGN: return Math.signum(x);
            case TANH: return FloatTranscendentals.tanh(x);
            case SIGMOID: return sigmoid(x);
            case RELU: return relu(x);
            case GELU: return x * phi(x);
            case GELU_TANH: return geluTanh(x);
            case SILU: return x * sigmoid(x);
            case GELU_GRAD: return geluGrad(x);
            case GELU_TANH_GRAD: return geluTanhGrad(x);
            case SILU_GRAD: return siluGrad(x);
            default: throw new AssertionError(op);
        }
    }

    // ---- ReLU and sign: NaN passes through, as in the reference

    static float relu(float x) {
        return x <= 0f ? 0f : x;
    }

    static FloatVector relu(FloatVector x) {
        return x.blend(0f, x.compare(VectorOperators.LE, 0f));
    }

    static FloatVector sign(FloatVector x) {
        return x.blend(1f, x.compare(VectorOperators.GT, 0f)).blend(-1f, x.compare(VectorOperators.LT, 0f));
    }

    // ---- The ops below use exp. Their vector forms are row loops (returning where the scalar tail
    // ---- starts) with the formula written out inside the loop: C2 neither inlines a helper that
    // ---- it has already compiled on its own into a big method, nor inlines past its node budget,
    // ---- and a vector-valued helper it does not inline boxes every vector. Inside a loop, exp is
    // ---- the only call, made early; the exact GELU runs as two loops (exp, then the rest).

    // ---- logistic sigmoid and SiLU, from e = exp(-|x|) in (0, 1]: 1 / (1 + e) on the right, e / (1 + e) on the left

    static float sigmoid(float x) {
        float e = FloatTranscendentals.exp(-Math.abs(x));
        float s = 1f / (1f + e);
        return x < 0f ? e * s : s;
    }

    static int sigmoidRow(float[] xs, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatVector e = FloatTranscendentals.exp(x.abs().neg());
            FloatVector s = one.div(e.add(1f));
            s.blend(e.mul(s), x.compare(VectorOperators.LT, 0f)).intoArray(y, yo + i);
        }
        return i;
    }

    static int siluRow(float[] xs, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatVector e = FloatTranscendentals.exp(x.abs().neg());
            FloatVector s = one.div(e.add(1f));
            x.mul(s.blend(e.mul(s), x.compare(VectorOperators.LT, 0f))).intoArray(y, yo + i);
        }
        return i;
    }

    /** d/dx x sigmoid(x) = s (1 + x (1 - s)), with 1 - s taken as sigmoid(-x) rather than by subtraction. */
    static float siluGrad(float x) {
        float e = FloatTranscendentals.exp(-Math.abs(x));
        float right = 1f / (1f + e);
        float left = e * right;
        float s = x < 0f ? left : right;
        float c = x < 0f ? right : left;
        return s * (1f + x * c);
    }

    static int siluGradRow(float[] xs, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatVector e = FloatTranscendentals.exp(x.abs().neg());
            FloatVector right = one.div(e.add(1f));
            FloatVector left = e.mul(right);
            VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
            FloatVector s = right.blend(left, negative);
            FloatVector c = left.blend(right, negative);
            x.mul(c).add(1f).mul(s).intoArray(y, yo + i);
        }
        return i;
    }

    // ---- GELU, tanh approximation: 0.5 x (1 + tanh u) = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3)

    static float geluTanh(float x) {
        float twoU = ((x * x) * TANH_CUBIC + 1f) * x * (2f * SQRT_2_OVER_PI);
        return x * sigmoid(twoU);
    }

    static int geluTanhRow(float[] xs, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatVector twoU = x.mul(x).mul(TANH_CUBIC).add(1f).mul(x).mul(2f * SQRT_2_OVER_PI);
            FloatVector e = FloatTranscendentals.exp(twoU.abs().neg());
            FloatVector s = one.div(e.add(1f));
            x.mul(s.blend(e.mul(s), twoU.compare(VectorOperators.LT, 0f))).intoArray(y, yo + i);
        }
        return i;
    }

    /**
     * With s = sigmoid(2u) and c = 1 - s: 0.5 (1 + tanh u) = s and 1 - tanh^2 u = 4 s c, so the
     * derivative is s + 2 x s c du/dx. Large finite x are clamped (the value is then exactly 0 or 1)
     * so that x^2 cannot overflow into inf * 0.
     */
    static float geluTanhGrad(float x) {
        float xc = Math.abs(x) < Float.POSITIVE_INFINITY ? Math.max(-GELU_TANH_GRAD_CLAMP, Math.min(GELU_TANH_GRAD_CLAMP, x)) : x;
        float x2 = xc * xc;
        float twoU = (x2 * TANH_CUBIC + 1f) * xc * (2f * SQRT_2_OVER_PI);
        float du = (x2 * (3f * TANH_CUBIC) + 1f) * SQRT_2_OVER_PI;
        float e = FloatTranscendentals.exp(-Math.abs(twoU));
        float right = 1f / (1f + e);
        float left = e * right;
        float s = twoU < 0f ? left : right;
        return (xc * du) * 2f * (s * (twoU < 0f ? right : left)) + s;
    }

    static int geluTanhGradRow(float[] xs, int xo, float[] y, int yo, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            VectorMask<Float> finite = x.abs().compare(VectorOperators.LT, Float.POSITIVE_INFINITY);
            FloatVector xc = x.blend(x.max(-GELU_TANH_GRAD_CLAMP).min(GELU_TANH_GRAD_CLAMP), finite);
            FloatVector x2 = xc.mul(xc);
            FloatVector twoU = x2.mul(TANH_CUBIC).add(1f).mul(xc).mul(2f * SQRT_2_OVER_PI);
            FloatVector e = FloatTranscendentals.exp(twoU.abs().neg());
            FloatVector du = x2.mul(3f * TANH_CUBIC).add(1f).mul(SQRT_2_OVER_PI);
            FloatVector right = one.div(e.add(1f));
            FloatVector left = e.mul(right);
            VectorMask<Float> negative = twoU.compare(VectorOperators.LT, 0f);
            FloatVector s = right.blend(left, negative);
            FloatVector c = left.blend(right, negative);
            xc.mul(du).mul(2f).mul(s.mul(c)).add(s).intoArray(y, yo + i);
        }
        return i;
    }

    // ---- exact GELU: x Phi(x), and its derivative Phi(x) + x phi(x), both from e = exp(-x^2 / 2),
    // ---- which the erfc branch of Phi (exp(-z^2) with z = x / sqrt 2) and the density share

    /** Floats per chunk of the exact GELU's two loops: the exp values of a chunk stay in L1. */
    private static final int CHUNK = 1024;

    /** The standard normal CDF. */
    static float phi(float x) {
        return phi(x, FloatTranscendentals.exp(-0.5f * (x * x)));
    }

    private static float phi(float x, float e) {
        float z = x * INV_SQRT_2;
        float az = Math.abs(z);
        if (az < ERF_SPLIT) {
            return 0.5f + 0.5f * (z * erfPolynomial(z * z));
        }
        float halfErfc = 0.5f * (e * erfcPolynomial(1f / (1f + 0.5f * az)));
        return z > 0f ? 1f - halfErfc : halfErfc;
    }

    static float geluGrad(float x) {
        float e = FloatTranscendentals.exp(-0.5f * (x * x));
        return phi(x, e) + x * (INV_SQRT_2PI * e);
    }

    static int geluRow(float[] xs, int xo, float[] y, int yo, int n) {
        return gaussianRow(xs, xo, y, yo, n, false);
    }

    static int geluGradRow(float[] xs, int xo, float[] y, int yo, int n) {
        return gaussianRow(xs, xo, y, yo, n, true);
    }

    private static int gaussianRow(float[] xs, int xo, float[] y, int yo, int n, boolean derivative) {
        int end = S.loopBound(n);
        float[] e = new float[Math.min(end, CHUNK)];
        for (int c = 0; c < end; c += CHUNK) {
            int length = Math.min(CHUNK, end - c);
            gaussianExp(xs, xo + c, e, length);
            phiRow(xs, xo + c, e, y, yo + c, length, derivative);
        }
        return end;
    }

    /** e = exp(-x^2 / 2) over {@code length} elements, a multiple of L. */
    private static void gaussianExp(float[] xs, int xo, float[] e, int length) {
        for (int i = 0; i < length; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatTranscendentals.exp(x.mul(x).mul(-0.5f)).intoArray(e, i);
        }
    }

    /** y = x Phi(x), or Phi(x) + x phi(x) for the derivative, given e = exp(-x^2 / 2). */
    private static void phiRow(float[] xs, int xo, float[] es, float[] y, int yo, int length, boolean derivative) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector p3 = FloatVector.broadcast(S, P3);
        FloatVector p2 = FloatVector.broadcast(S, P2);
        FloatVector p1 = FloatVector.broadcast(S, P1);
        FloatVector p0 = FloatVector.broadcast(S, P0);
        FloatVector q6 = FloatVector.broadcast(S, Q6);
        FloatVector q5 = FloatVector.broadcast(S, Q5);
        FloatVector q4 = FloatVector.broadcast(S, Q4);
        FloatVector q3 = FloatVector.broadcast(S, Q3);
        FloatVector q2 = FloatVector.broadcast(S, Q2);
        FloatVector q1 = FloatVector.broadcast(S, Q1);
        FloatVector q0 = FloatVector.broadcast(S, Q0);
        for (int i = 0; i < length; i += L) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatVector e = FloatVector.fromArray(S, es, i);
            FloatVector z = x.mul(INV_SQRT_2);
            FloatVector az = z.abs();
            FloatVector t = z.mul(z);
            FloatVector erf = t.fma(P5, P4).fma(t, p3).fma(t, p2).fma(t, p1).fma(t, p0);
            FloatVector near = z.mul(erf).mul(0.5f).add(0.5f);
            FloatVector w = one.div(az.mul(0.5f).add(1f));
            FloatVector erfc = w.fma(Q8, Q7).fma(w, q6).fma(w, q5).fma(w, q4).fma(w, q3).fma(w, q2).fma(w, q1).fma(w, q0);
            FloatVector halfErfc = e.mul(erfc).mul(0.5f);
            FloatVector far = halfErfc.blend(one.sub(halfErfc), z.compare(VectorOperators.GT, 0f));
            FloatVector phi = far.blend(near, az.compare(VectorOperators.LT, ERF_SPLIT));
            FloatVector out = derivative ? x.mul(e.mul(INV_SQRT_2PI)).add(phi) : x.mul(phi);
            out.intoArray(y, yo + i);
        }
    }

    // Horner with fma: half the operations of multiply-then-add, and one rounding per step.

    private static float erfPolynomial(float t) {
        return Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(P5, t, P4), t, P3), t, P2), t, P1), t, P0);
    }

    private static float erfcPolynomial(float w) {
        float q = Math.fma(Math.fma(Math.fma(Q8, w, Q7), w, Q6), w, Q5);
        return Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(q, w, Q4), w, Q3), w, Q2), w, Q1), w, Q0);
    }
}
