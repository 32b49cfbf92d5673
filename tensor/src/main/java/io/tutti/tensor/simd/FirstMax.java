package io.tutti.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The max-pool rule "a later tap wins only when strictly greater, or NaN over a number", in the two
 * branch-free forms the pooling kernels use. On activations the comparison is a coin flip, so a
 * branch on it mispredicts half the time; both forms avoid that.
 */
final class FirstMax {
    private FirstMax() {
    }

    /** Lanes where {@code v} replaces {@code max}: {@code v > max}, or {@code v} NaN while {@code max} is not. */
    static VectorMask<Float> beats(FloatVector v, FloatVector max) {
        return v.compare(VectorOperators.GT, max)
                .or(v.compare(VectorOperators.NE, v).andNot(max.compare(VectorOperators.NE, max)));
    }

    /**
     * {@code take ? b : a} on int lanes chosen by a float mask. Blending the bits as floats avoids
     * casting the mask, which JDK 17 does not compile into a plain register move.
     */
    static IntVector select(IntVector a, IntVector b, VectorMask<Float> take) {
        return a.reinterpretAsFloats().blend(b.reinterpretAsFloats(), take).reinterpretAsInts();
    }

    /**
     * An int whose order is the pooling order of floats: NaN above everything (all NaNs equal),
     * {@code -0} equal to {@code 0}, otherwise the float order. A strict {@code >} on keys is then
     * the rule above, and C2 compiles the selects on ints into conditional moves.
     */
    static int key(float f) {
        int bits = Float.floatToRawIntBits(f);
        // Negative floats order backwards as ints; flipping all but the sign bit puts them right.
        int k = bits ^ ((bits >> 31) & 0x7fffffff);
        k = bits == 0x80000000 ? 0 : k;
        return f != f ? Integer.MAX_VALUE : k;
    }
}
