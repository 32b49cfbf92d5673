package io.tutti.tensor.io;

/**
 * Widening of the two 16-bit float formats to {@code float}. Both conversions are exact: every
 * half and bfloat16 value, including subnormals, signed zeros, infinities and NaNs, is a float.
 * (Java 17 has no {@code Float.float16ToFloat}; it arrived in Java 20.)
 */
public final class HalfFloats {
    private static final int HALF_EXPONENT_MASK = 0x1F;
    private static final int HALF_MANTISSA_BITS = 10;
    private static final int FLOAT_MANTISSA_BITS = 23;
    /** float bias 127 minus half bias 15: moves a half exponent into float range. */
    private static final int EXPONENT_REBIAS = 127 - 15;

    private HalfFloats() {
    }

    /** The IEEE 754 binary16 value whose bits are the low 16 bits of {@code bits}. */
    public static float halfToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> HALF_MANTISSA_BITS) & HALF_EXPONENT_MASK;
        int mantissa = bits & 0x3FF;
        int shift = FLOAT_MANTISSA_BITS - HALF_MANTISSA_BITS;
        if (exponent == HALF_EXPONENT_MASK) {
            // Infinity keeps a zero mantissa; a NaN keeps its payload, so it stays a NaN.
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << shift));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, which a float holds exactly (as a normal number).
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + EXPONENT_REBIAS) << FLOAT_MANTISSA_BITS) | (mantissa << shift));
    }

    /** The bfloat16 value whose bits are the low 16 bits of {@code bits}: the top half of a float. */
    public static float bfloat16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }
}
