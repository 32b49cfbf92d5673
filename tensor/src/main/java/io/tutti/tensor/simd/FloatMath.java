package io.tutti.tensor.simd;

import io.tutti.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 formulas of the unary ops that have no single {@link VectorOperators} counterpart, each
 * in a vector form (for the kernels' main loops) and a scalar form (for their tails), written side by
 * side with the same arithmetic so that a lane and a tail element agree bit for bit. Every exp, log
 * and tanh goes through {@link FloatTranscendentals} for the same reason (and so that the result does
 * not depend on whether C2 has compiled the kernel).
 *
 * <p>The formulas avoid cancellation where the double definitions in
 * {@link io.tutti.tensor.ScalarMath} can afford it and float cannot: sigmoid is evaluated from
 * {@code exp(-|x|)} so it never overflows, GELU-tanh as {@code x * sigmoid(2u)} instead of
 * {@code 0.5 x (1 + tanh u)}, and the normal CDF of the exact GELU from {@code erfc} in the tails.
 */
final class FloatMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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

    // ---- logistic sigmoid and SiLU, from e = exp(-|x|) in (0, 1]: 1 / (1 + e) on the right, e / (1 + e) on the left

    static float sigmoid(float x) {
        float e = FloatTranscendentals.exp(-Math.abs(x));
        float s = 1f / (1f + e);
        return x < 0f ? e * s : s;
    }

    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = FloatTranscendentals.exp(x.abs().neg());
        FloatVector s = one().div(e.add(1f));
        return s.blend(e.mul(s), x.compare(VectorOperators.LT, 0f));
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

    static FloatVector siluGrad(FloatVector x) {
        FloatVector e = FloatTranscendentals.exp(x.abs().neg());
        FloatVector right = one().div(e.add(1f));
        FloatVector left = e.mul(right);
        VectorMask<Float> negative = x.compare(VectorOperators.LT, 0f);
        FloatVector s = right.blend(left, negative);
        FloatVector c = left.blend(right, negative);
        return x.mul(c).add(1f).mul(s);
    }

    // ---- GELU, tanh approximation: 0.5 x (1 + tanh u) = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3)

    static float geluTanh(float x) {
        float twoU = ((x * x) * TANH_CUBIC + 1f) * x * (2f * SQRT_2_OVER_PI);
        return x * sigmoid(twoU);
    }

    static FloatVector geluTanh(FloatVector x) {
        FloatVector u = x.mul(x).mul(TANH_CUBIC).add(1f).mul(x).mul(2f * SQRT_2_OVER_PI);
        return x.mul(sigmoid(u));
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

    static FloatVector geluTanhGrad(FloatVector x) {
        VectorMask<Float> finite = x.abs().compare(VectorOperators.LT, Float.POSITIVE_INFINITY);
        FloatVector xc = x.blend(x.max(-GELU_TANH_GRAD_CLAMP).min(GELU_TANH_GRAD_CLAMP), finite);
        FloatVector x2 = xc.mul(xc);
        FloatVector twoU = x2.mul(TANH_CUBIC).add(1f).mul(xc).mul(2f * SQRT_2_OVER_PI);
        FloatVector du = x2.mul(3f * TANH_CUBIC).add(1f).mul(SQRT_2_OVER_PI);
        FloatVector e = FloatTranscendentals.exp(twoU.abs().neg());
        FloatVector right = one().div(e.add(1f));
        FloatVector left = e.mul(right);
        VectorMask<Float> negative = twoU.compare(VectorOperators.LT, 0f);
        FloatVector s = right.blend(left, negative);
        FloatVector c = left.blend(right, negative);
        return xc.mul(du).mul(2f).mul(s.mul(c)).add(s);
    }

    // ---- exact GELU: x Phi(x), and its derivative Phi(x) + x phi(x)

    /** The standard normal CDF. */
    static float phi(float x) {
        float z = x * INV_SQRT_2;
        float az = Math.abs(z);
        float z2 = z * z;
        if (az < ERF_SPLIT) {
            return 0.5f + 0.5f * (z * erfPolynomial(z2));
        }
        float halfErfc = 0.5f * (FloatTranscendentals.exp(-z2) * erfcPolynomial(1f / (1f + 0.5f * az)));
        return z > 0f ? 1f - halfErfc : halfErfc;
    }

    static FloatVector phi(FloatVector x) {
        FloatVector z = x.mul(INV_SQRT_2);
        FloatVector az = z.abs();
        FloatVector z2 = z.mul(z);
        FloatVector near = z.mul(erfPolynomial(z2)).mul(0.5f).add(0.5f);
        FloatVector w = one().div(az.mul(0.5f).add(1f));
        FloatVector halfErfc = FloatTranscendentals.exp(z2.neg()).mul(erfcPolynomial(w)).mul(0.5f);
        FloatVector far = halfErfc.blend(one().sub(halfErfc), z.compare(VectorOperators.GT, 0f));
        return far.blend(near, az.compare(VectorOperators.LT, ERF_SPLIT));
    }

    static float geluGrad(float x) {
        return phi(x) + x * (INV_SQRT_2PI * FloatTranscendentals.exp(-0.5f * (x * x)));
    }

    static FloatVector geluGrad(FloatVector x) {
        FloatVector density = FloatTranscendentals.exp(x.mul(x).mul(-0.5f)).mul(INV_SQRT_2PI);
        return x.mul(density).add(phi(x));
    }

    private static float erfPolynomial(float t) {
        return ((((P5 * t + P4) * t + P3) * t + P2) * t + P1) * t + P0;
    }

    private static FloatVector erfPolynomial(FloatVector t) {
        return t.mul(P5).add(P4).mul(t).add(P3).mul(t).add(P2).mul(t).add(P1).mul(t).add(P0);
    }

    private static float erfcPolynomial(float w) {
        return (((((((Q8 * w + Q7) * w + Q6) * w + Q5) * w + Q4) * w + Q3) * w + Q2) * w + Q1) * w + Q0;
    }

    private static FloatVector erfcPolynomial(FloatVector w) {
        return w.mul(Q8).add(Q7).mul(w).add(Q6).mul(w).add(Q5).mul(w).add(Q4).mul(w).add(Q3).mul(w).add(Q2)
                .mul(w).add(Q1).mul(w).add(Q0);
    }

    private static FloatVector one() {
        return FloatVector.broadcast(S, 1f);
    }
}
