package io.tutti.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 exp, log and tanh, each in a vector form and a scalar form that perform the same IEEE
 * operations in the same order (fma where the vector uses fma), so a value gives the same bits in a
 * vector lane, in a scalar tail, and in a cold or a warm JVM.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: the Vector API computes it with an intrinsic
 * (SVML) once C2 has compiled the loop and with {@code Math.exp} before, and the two differ in the
 * last bit for a few percent of inputs; training then depended on what had run earlier in the JVM.
 * These forms use only add, sub, mul, div, fma, min, max, comparisons, blends, integer and bit
 * operations (and, in exp's rare wide range, scalar double arithmetic), which are exactly rounded
 * or exact on every path. A vector holding a lane its fast path does not cover computes that
 * vector lane by lane with the scalar form.
 *
 * <p>Measured against {@code Math.exp/log/tanh} in double over every 61st float bit pattern (70
 * million inputs of both signs and all exponents) plus special values, the maximum error is 0.87 ulp
 * for exp (subnormal results: 0.50 ulp of their spacing, i.e. correctly rounded), 0.83 ulp for log
 * and 1.50 ulp for tanh. {@code FloatTranscendentalsTest} checks these bounds on a sparser sweep.
 *
 * <p>The polynomial coefficients were fitted for this class (iteratively reweighted least squares
 * approaching the minimax relative error on their interval, in double, then rounded to float).
 */
final class FloatTranscendentals {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final float LOG2E = 1.442695f;
    /** ln 2 as a float plus the float nearest the remainder: the two-constant Cody-Waite reduction. */
    private static final float LN2_HI = 0.6931472f;
    private static final float LN2_LO = -1.9046542e-9f;
    /**
     * Adding 1.5 * 2^23 rounds a float of magnitude below 2^22 to an integer (the sum's ulp is 1),
     * and that integer then sits in the sum's low mantissa bits: rounding without a float-to-int
     * conversion.
     */
    private static final float ROUNDER = 12582912f;
    /** exp is +inf above ln(Float.MAX_VALUE) ~ 88.72 and 0 below ln(Float.MIN_VALUE / 2) ~ -103.97: clamp just outside. */
    private static final float EXP_MAX = 89f;
    private static final float EXP_MIN = -104f;

    /** exp(r) = 1 + r (1 + r (E2 + E3 r + ... + E6 r^4)) on |r| <= ln2 / 2, relative error 3e-9. */
    private static final float E2 = 0.49999994f;
    private static final float E3 = 0.16666521f;
    private static final float E4 = 0.041668393f;
    private static final float E5 = 0.0083687445f;
    private static final float E6 = 0.0013814528f;

    private static final int SQRT_HALF_BITS = 0x3f3504f3;
    private static final int ONE_BITS = 0x3f800000;
    private static final int MANTISSA = 0x007fffff;
    private static final float TWO_POW_23 = 0x1p23f;
    /**
     * For m = 1 + f in [sqrt(1/2), sqrt(2)) and s = f / (2 + f): log(m) = 2s + s R(s^2) with
     * R(z) = z (G1 + G2 z + G3 z^2), relative error 8e-10.
     */
    private static final float G1 = 0.66666776f;
    private static final float G2 = 0.39977574f;
    private static final float G3 = 0.29870954f;

    /** Below this |x|, tanh(x) = x + x^3 (T1 + T2 x^2 + ... + T5 x^8), relative error 1e-9; above, from exp(-2|x|). */
    private static final float TANH_SPLIT = 0.55f;
    private static final float T1 = -0.33333316f;
    private static final float T2 = 0.13332586f;
    private static final float T3 = -0.05385231f;
    private static final float T4 = 0.021071669f;
    private static final float T5 = -0.006274223f;

    private FloatTranscendentals() {
    }

    // ---- exp: x = k ln2 + r, exp(x) = 2^k exp(r). For |x| < 87 the result is a normal float, and
    // ---- multiplying by 2^k is exact and done by adding k to the exponent bits. Beyond (overflow,
    // ---- subnormal results, infinities, NaN) the same reduction runs in scalar double, where 2^k
    // ---- and the polynomial's extra precision fit, and one conversion to float rounds the result
    // ---- (so subnormal results are correctly rounded but for ties closer than 1e-12).

    /** Below this |x|, 2^k exp(r) is a normal float and k fits the exponent field. */
    private static final float EXP_NORMAL = 87f;

    static float exp(float x) {
        if (!(Math.abs(x) < EXP_NORMAL)) {
            return expWide(x);
        }
        float t = Math.fma(x, LOG2E, ROUNDER);
        float kf = t - ROUNDER;
        float r = Math.fma(kf, -LN2_HI, x);
        r = Math.fma(kf, -LN2_LO, r);
        float q = Math.fma(Math.fma(Math.fma(Math.fma(E6, r, E5), r, E4), r, E3), r, E2);
        float p = Math.fma(Math.fma(q, r, 1f), r, 1f);
        return Float.intBitsToFloat(Float.floatToRawIntBits(p) + (Float.floatToRawIntBits(t) << 23));
    }

    /**
     * Vectors with a lane outside |x| < 87 leave the fast path: lanes below -104 (masked-out logits,
     * -inf) are exactly 0, and anything else rare (overflow, subnormal results, NaN) is computed
     * lane by lane with the scalar form, so every lane gets the bits the scalar form gives it.
     */
    static FloatVector exp(FloatVector x) {
        VectorMask<Float> normal = x.abs().compare(VectorOperators.LT, EXP_NORMAL);
        FloatVector t = x.fma(LOG2E, ROUNDER);
        FloatVector kf = t.sub(ROUNDER);
        // Constants are broadcast here rather than by a helper: inside a kernel's loop, a call of
        // ours that C2 declines to inline would box the vectors.
        FloatVector r = kf.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = kf.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector q = r.fma(E6, E5).fma(r, FloatVector.broadcast(S, E4)).fma(r, FloatVector.broadcast(S, E3))
                .fma(r, FloatVector.broadcast(S, E2));
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector p = q.fma(r, one).fma(r, one);
        // ROUNDER's low 9 bits are zero, so t's bits shifted into the exponent field are k (two's complement).
        IntVector scale = t.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
        FloatVector y = p.reinterpretAsInts().add(scale).reinterpretAsFloats();
        if (!normal.allTrue()) {
            VectorMask<Float> zero = x.compare(VectorOperators.LT, EXP_MIN);
            y = y.blend(0f, zero);
            if (!normal.or(zero).allTrue()) {
                y = FloatVector.fromArray(S, expLaneByLane(x.toArray()), 0);
            }
        }
        return y;
    }

    /**
     * The scalar form over an array of lanes, in place. Arrays rather than vectors cross this call,
     * which C2 does not inline: a vector returned by a call has no exact type, and everything
     * computed from it afterwards would fall back from intrinsics to boxed Java code.
     */
    private static float[] expLaneByLane(float[] lanes) {
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = exp(lanes[i]);
        }
        return lanes;
    }

    private static final double LOG2E_D = 1.4426950408889634;
    private static final double LN2_HI_D = 0.6931471805599453;
    private static final double LN2_LO_D = 2.3190468138462996e-17;
    private static final double ROUNDER_D = 0x1.8p52;
    /** Taylor coefficients 1/n!, n = 2..10: truncation error 2e-13 relative on |r| <= ln2 / 2. */
    private static final double[] TAYLOR = {
        0.5, 0.16666666666666666, 0.041666666666666664, 0.008333333333333333, 0.001388888888888889,
        1.984126984126984e-4, 2.48015873015873e-5, 2.7557319223985893e-6, 2.755731922398589e-7,
    };

    /** exp for every float x, through double; 2^k is built in the bits of a multiplier so NaN stays NaN. */
    private static float expWide(float x) {
        double xc = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        double t = Math.fma(xc, LOG2E_D, ROUNDER_D);
        double kd = t - ROUNDER_D;
        double r = Math.fma(kd, -LN2_HI_D, xc);
        r = Math.fma(kd, -LN2_LO_D, r);
        double p = TAYLOR[8];
        for (int i = 7; i >= 0; i--) {
            p = Math.fma(p, r, TAYLOR[i]);
        }
        p = Math.fma(Math.fma(p, r, 1.0), r, 1.0);
        double scale = Double.longBitsToDouble((Double.doubleToRawLongBits(t) + 1023) << 52);
        return (float) (p * scale);
    }

    // ---- log: x = 2^e m with m in [sqrt(1/2), sqrt(2)), log x = e ln2 + log m; subnormals are first scaled by 2^23.
    // ---- log(1 + f) = f - (f^2/2 - s (f^2/2 + R)) keeps the exact f as the leading term.

    static float log(float x) {
        if (!(x < Float.POSITIVE_INFINITY)) {
            return x;
        }
        if (x == 0f) {
            return Float.NEGATIVE_INFINITY;
        }
        if (x < 0f) {
            return Float.NaN;
        }
        boolean subnormal = x < Float.MIN_NORMAL;
        float xs = subnormal ? x * TWO_POW_23 : x;
        int shifted = Float.floatToRawIntBits(xs) + (ONE_BITS - SQRT_HALF_BITS);
        float e = (float) ((shifted >> 23) - 127);
        if (subnormal) {
            e = e - 23f;
        }
        float f = Float.intBitsToFloat((shifted & MANTISSA) + SQRT_HALF_BITS) - 1f;
        float s = f / (2f + f);
        float z = s * s;
        float rz = z * Math.fma(Math.fma(G3, z, G2), z, G1);
        float halfSquare = 0.5f * f * f;
        float tail = halfSquare - Math.fma(s, halfSquare + rz, e * LN2_LO);
        return Math.fma(e, LN2_HI, f - tail);
    }

    /**
     * Positive normal lanes take the vector path; a vector holding anything else (0, negatives,
     * subnormals, infinities, NaN) is computed lane by lane with the scalar form, which handles them.
     */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> ordinary = x.compare(VectorOperators.GE, Float.MIN_NORMAL)
                .and(x.compare(VectorOperators.LT, Float.POSITIVE_INFINITY));
        if (!ordinary.allTrue()) {
            return FloatVector.fromArray(S, logLaneByLane(x.toArray()), 0);
        }
        IntVector shifted = x.reinterpretAsInts().add(ONE_BITS - SQRT_HALF_BITS);
        FloatVector e = (FloatVector) shifted.lanewise(VectorOperators.ASHR, 23).sub(127).convert(VectorOperators.I2F, 0);
        FloatVector f = shifted.and(MANTISSA).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s);
        FloatVector rz = z.mul(z.fma(G3, G2).fma(z, FloatVector.broadcast(S, G1)));
        FloatVector halfSquare = f.mul(0.5f).mul(f);
        FloatVector tail = halfSquare.sub(s.fma(halfSquare.add(rz), e.mul(LN2_LO)));
        return e.fma(FloatVector.broadcast(S, LN2_HI), f.sub(tail));
    }

    private static float[] logLaneByLane(float[] lanes) {
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = log(lanes[i]);
        }
        return lanes;
    }

    // ---- tanh: computed for |x| and given x's sign bit (so tanh(-0) = -0); an odd polynomial near 0,
    // ---- (1 - e) / (1 + e) with e = exp(-2|x|) beyond, which reaches exactly 1 from |x| ~ 9 on

    static float tanh(float x) {
        float a = Math.abs(x);
        float magnitude;
        if (a < TANH_SPLIT) {
            float z = a * a;
            float q = Math.fma(Math.fma(Math.fma(Math.fma(T5, z, T4), z, T3), z, T2), z, T1);
            magnitude = Math.fma(a * z, q, a);
        } else {
            float e = exp(-2f * a);
            magnitude = (1f - e) / (1f + e);
        }
        return Float.intBitsToFloat(Float.floatToRawIntBits(magnitude) | (Float.floatToRawIntBits(x) & 0x80000000));
    }

    /**
     * The vector form as a row loop (returning where the scalar tail starts): with exp inlined into
     * it, tanh is too big a helper for C2 to inline reliably into a caller's loop (see
     * {@link FloatMath}), so the loop is here.
     */
    static int tanhRow(float[] xs, int xo, float[] y, int yo, int n) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, xs, xo + i);
            FloatVector a = x.abs();
            FloatVector e = exp(a.mul(-2f));
            FloatVector z = a.mul(a);
            FloatVector q = z.fma(T5, T4).fma(z, FloatVector.broadcast(S, T3)).fma(z, FloatVector.broadcast(S, T2))
                    .fma(z, FloatVector.broadcast(S, T1));
            FloatVector near = a.mul(z).fma(q, a);
            FloatVector far = e.neg().add(1f).div(e.add(1f));
            FloatVector magnitude = far.blend(near, a.compare(VectorOperators.LT, TANH_SPLIT));
            magnitude.reinterpretAsInts().or(x.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats().intoArray(y, yo + i);
        }
        return i;
    }
}
