package io.tutti.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transpositions of small blocks in 16-lane vector registers, for {@link PackedPanels}: packing an
 * operand whose rows run the wrong way for a panel otherwise reads or writes one float at a time.
 * A 16 x 16 block is transposed in four stages; at distance {@code s} row {@code i}'s lanes with
 * bit {@code s} set trade places with row {@code i + s}'s lanes without it (a permute and a blend
 * for each of the pair). Only for 16-lane species (AVX-512); callers check {@link #LANES}.
 */
final class RegisterTranspose {
    private static final VectorSpecies<Float> SPECIES = MicroKernel.SPECIES;
    /** The lanes these kernels are written for. */
    static final int LANES = 16;
    private static final int L = SPECIES.length();
    // Single static finals rather than arrays, so that C2 sees each shuffle and mask as a constant.
    /** Lane l takes lane l - s (mod 16), for the stage at distance s. */
    private static final VectorShuffle<Float> DOWN_8 = shuffle(-8);
    private static final VectorShuffle<Float> DOWN_4 = shuffle(-4);
    private static final VectorShuffle<Float> DOWN_2 = shuffle(-2);
    private static final VectorShuffle<Float> DOWN_1 = shuffle(-1);
    /** Lane l takes lane l + s (mod 16). */
    private static final VectorShuffle<Float> UP_8 = shuffle(8);
    private static final VectorShuffle<Float> UP_4 = shuffle(4);
    private static final VectorShuffle<Float> UP_2 = shuffle(2);
    private static final VectorShuffle<Float> UP_1 = shuffle(1);
    /** The lanes with bit s set. */
    private static final VectorMask<Float> HIGH_8 = mask(8, true);
    private static final VectorMask<Float> HIGH_4 = mask(4, true);
    private static final VectorMask<Float> HIGH_2 = mask(2, true);
    private static final VectorMask<Float> HIGH_1 = mask(1, true);
    /** The lanes with bit s clear. */
    private static final VectorMask<Float> LOW_8 = mask(8, false);
    private static final VectorMask<Float> LOW_4 = mask(4, false);
    private static final VectorMask<Float> LOW_2 = mask(2, false);
    private static final VectorMask<Float> LOW_1 = mask(1, false);

    private RegisterTranspose() {
    }

    /**
     * Transposes the 16 x 16 block {@code b[src + j * cs + k]} ({@code j} the block's row, {@code k}
     * its column) into rows {@code dst[d + k * ldd ..+16]}: sixteen row loads, four stages of lane
     * swaps at distances 8, 4, 2 and 1 (each a pair of permutes and blends: row {@code i}'s lanes
     * with bit {@code s} set trade places with row {@code i + s}'s lanes without it), sixteen stores.
     * Written out in full because an array of vectors would be boxed.
     */
    static void transpose16(float[] b, int src, int cs, float[] dst, int d, int ldd) {
        FloatVector v0 = FloatVector.fromArray(SPECIES, b, src);
        FloatVector v1 = FloatVector.fromArray(SPECIES, b, src + 1 * cs);
        FloatVector v2 = FloatVector.fromArray(SPECIES, b, src + 2 * cs);
        FloatVector v3 = FloatVector.fromArray(SPECIES, b, src + 3 * cs);
        FloatVector v4 = FloatVector.fromArray(SPECIES, b, src + 4 * cs);
        FloatVector v5 = FloatVector.fromArray(SPECIES, b, src + 5 * cs);
        FloatVector v6 = FloatVector.fromArray(SPECIES, b, src + 6 * cs);
        FloatVector v7 = FloatVector.fromArray(SPECIES, b, src + 7 * cs);
        FloatVector v8 = FloatVector.fromArray(SPECIES, b, src + 8 * cs);
        FloatVector v9 = FloatVector.fromArray(SPECIES, b, src + 9 * cs);
        FloatVector v10 = FloatVector.fromArray(SPECIES, b, src + 10 * cs);
        FloatVector v11 = FloatVector.fromArray(SPECIES, b, src + 11 * cs);
        FloatVector v12 = FloatVector.fromArray(SPECIES, b, src + 12 * cs);
        FloatVector v13 = FloatVector.fromArray(SPECIES, b, src + 13 * cs);
        FloatVector v14 = FloatVector.fromArray(SPECIES, b, src + 14 * cs);
        FloatVector v15 = FloatVector.fromArray(SPECIES, b, src + 15 * cs);
        FloatVector t;
        t = v0.blend(v8.rearrange(DOWN_8), HIGH_8);
        v8 = v8.blend(v0.rearrange(UP_8), LOW_8);
        v0 = t;
        t = v1.blend(v9.rearrange(DOWN_8), HIGH_8);
        v9 = v9.blend(v1.rearrange(UP_8), LOW_8);
        v1 = t;
        t = v2.blend(v10.rearrange(DOWN_8), HIGH_8);
        v10 = v10.blend(v2.rearrange(UP_8), LOW_8);
        v2 = t;
        t = v3.blend(v11.rearrange(DOWN_8), HIGH_8);
        v11 = v11.blend(v3.rearrange(UP_8), LOW_8);
        v3 = t;
        t = v4.blend(v12.rearrange(DOWN_8), HIGH_8);
        v12 = v12.blend(v4.rearrange(UP_8), LOW_8);
        v4 = t;
        t = v5.blend(v13.rearrange(DOWN_8), HIGH_8);
        v13 = v13.blend(v5.rearrange(UP_8), LOW_8);
        v5 = t;
        t = v6.blend(v14.rearrange(DOWN_8), HIGH_8);
        v14 = v14.blend(v6.rearrange(UP_8), LOW_8);
        v6 = t;
        t = v7.blend(v15.rearrange(DOWN_8), HIGH_8);
        v15 = v15.blend(v7.rearrange(UP_8), LOW_8);
        v7 = t;
        t = v0.blend(v4.rearrange(DOWN_4), HIGH_4);
        v4 = v4.blend(v0.rearrange(UP_4), LOW_4);
        v0 = t;
        t = v1.blend(v5.rearrange(DOWN_4), HIGH_4);
        v5 = v5.blend(v1.rearrange(UP_4), LOW_4);
        v1 = t;
        t = v2.blend(v6.rearrange(DOWN_4), HIGH_4);
        v6 = v6.blend(v2.rearrange(UP_4), LOW_4);
        v2 = t;
        t = v3.blend(v7.rearrange(DOWN_4), HIGH_4);
        v7 = v7.blend(v3.rearrange(UP_4), LOW_4);
        v3 = t;
        t = v8.blend(v12.rearrange(DOWN_4), HIGH_4);
        v12 = v12.blend(v8.rearrange(UP_4), LOW_4);
        v8 = t;
        t = v9.blend(v13.rearrange(DOWN_4), HIGH_4);
        v13 = v13.blend(v9.rearrange(UP_4), LOW_4);
        v9 = t;
        t = v10.blend(v14.rearrange(DOWN_4), HIGH_4);
        v14 = v14.blend(v10.rearrange(UP_4), LOW_4);
        v10 = t;
        t = v11.blend(v15.rearrange(DOWN_4), HIGH_4);
        v15 = v15.blend(v11.rearrange(UP_4), LOW_4);
        v11 = t;
        t = v0.blend(v2.rearrange(DOWN_2), HIGH_2);
        v2 = v2.blend(v0.rearrange(UP_2), LOW_2);
        v0 = t;
        t = v1.blend(v3.rearrange(DOWN_2), HIGH_2);
        v3 = v3.blend(v1.rearrange(UP_2), LOW_2);
        v1 = t;
        t = v4.blend(v6.rearrange(DOWN_2), HIGH_2);
        v6 = v6.blend(v4.rearrange(UP_2), LOW_2);
        v4 = t;
        t = v5.blend(v7.rearrange(DOWN_2), HIGH_2);
        v7 = v7.blend(v5.rearrange(UP_2), LOW_2);
        v5 = t;
        t = v8.blend(v10.rearrange(DOWN_2), HIGH_2);
        v10 = v10.blend(v8.rearrange(UP_2), LOW_2);
        v8 = t;
        t = v9.blend(v11.rearrange(DOWN_2), HIGH_2);
        v11 = v11.blend(v9.rearrange(UP_2), LOW_2);
        v9 = t;
        t = v12.blend(v14.rearrange(DOWN_2), HIGH_2);
        v14 = v14.blend(v12.rearrange(UP_2), LOW_2);
        v12 = t;
        t = v13.blend(v15.rearrange(DOWN_2), HIGH_2);
        v15 = v15.blend(v13.rearrange(UP_2), LOW_2);
        v13 = t;
        t = v0.blend(v1.rearrange(DOWN_1), HIGH_1);
        v1 = v1.blend(v0.rearrange(UP_1), LOW_1);
        v0 = t;
        t = v2.blend(v3.rearrange(DOWN_1), HIGH_1);
        v3 = v3.blend(v2.rearrange(UP_1), LOW_1);
        v2 = t;
        t = v4.blend(v5.rearrange(DOWN_1), HIGH_1);
        v5 = v5.blend(v4.rearrange(UP_1), LOW_1);
        v4 = t;
        t = v6.blend(v7.rearrange(DOWN_1), HIGH_1);
        v7 = v7.blend(v6.rearrange(UP_1), LOW_1);
        v6 = t;
        t = v8.blend(v9.rearrange(DOWN_1), HIGH_1);
        v9 = v9.blend(v8.rearrange(UP_1), LOW_1);
        v8 = t;
        t = v10.blend(v11.rearrange(DOWN_1), HIGH_1);
        v11 = v11.blend(v10.rearrange(UP_1), LOW_1);
        v10 = t;
        t = v12.blend(v13.rearrange(DOWN_1), HIGH_1);
        v13 = v13.blend(v12.rearrange(UP_1), LOW_1);
        v12 = t;
        t = v14.blend(v15.rearrange(DOWN_1), HIGH_1);
        v15 = v15.blend(v14.rearrange(UP_1), LOW_1);
        v14 = t;
        v0.intoArray(dst, d);
        v1.intoArray(dst, d + 1 * ldd);
        v2.intoArray(dst, d + 2 * ldd);
        v3.intoArray(dst, d + 3 * ldd);
        v4.intoArray(dst, d + 4 * ldd);
        v5.intoArray(dst, d + 5 * ldd);
        v6.intoArray(dst, d + 6 * ldd);
        v7.intoArray(dst, d + 7 * ldd);
        v8.intoArray(dst, d + 8 * ldd);
        v9.intoArray(dst, d + 9 * ldd);
        v10.intoArray(dst, d + 10 * ldd);
        v11.intoArray(dst, d + 11 * ldd);
        v12.intoArray(dst, d + 12 * ldd);
        v13.intoArray(dst, d + 13 * ldd);
        v14.intoArray(dst, d + 14 * ldd);
        v15.intoArray(dst, d + 15 * ldd);
    }

    /**
     * Packs 16 columns of 8 rows, {@code a[src + i * rs + k]}, into {@code dst[d + k * 8 + i]}: the
     * transposition {@link #transpose16} does at distances 4, 2, 1, which leaves row {@code i} holding
     * column {@code i} in its low half and column {@code 8 + i} in its high half, then each output
     * vector joins two such halves (one permute and one blend). Written out in full because an array
     * of vectors would be boxed.
     */
    static void rows8(float[] a, int src, int rs, float[] dst, int d) {
        FloatVector v0 = FloatVector.fromArray(SPECIES, a, src);
        FloatVector v1 = FloatVector.fromArray(SPECIES, a, src + 1 * rs);
        FloatVector v2 = FloatVector.fromArray(SPECIES, a, src + 2 * rs);
        FloatVector v3 = FloatVector.fromArray(SPECIES, a, src + 3 * rs);
        FloatVector v4 = FloatVector.fromArray(SPECIES, a, src + 4 * rs);
        FloatVector v5 = FloatVector.fromArray(SPECIES, a, src + 5 * rs);
        FloatVector v6 = FloatVector.fromArray(SPECIES, a, src + 6 * rs);
        FloatVector v7 = FloatVector.fromArray(SPECIES, a, src + 7 * rs);
        FloatVector t;
        t = v0.blend(v4.rearrange(DOWN_4), HIGH_4);
        v4 = v4.blend(v0.rearrange(UP_4), LOW_4);
        v0 = t;
        t = v1.blend(v5.rearrange(DOWN_4), HIGH_4);
        v5 = v5.blend(v1.rearrange(UP_4), LOW_4);
        v1 = t;
        t = v2.blend(v6.rearrange(DOWN_4), HIGH_4);
        v6 = v6.blend(v2.rearrange(UP_4), LOW_4);
        v2 = t;
        t = v3.blend(v7.rearrange(DOWN_4), HIGH_4);
        v7 = v7.blend(v3.rearrange(UP_4), LOW_4);
        v3 = t;
        t = v0.blend(v2.rearrange(DOWN_2), HIGH_2);
        v2 = v2.blend(v0.rearrange(UP_2), LOW_2);
        v0 = t;
        t = v1.blend(v3.rearrange(DOWN_2), HIGH_2);
        v3 = v3.blend(v1.rearrange(UP_2), LOW_2);
        v1 = t;
        t = v4.blend(v6.rearrange(DOWN_2), HIGH_2);
        v6 = v6.blend(v4.rearrange(UP_2), LOW_2);
        v4 = t;
        t = v5.blend(v7.rearrange(DOWN_2), HIGH_2);
        v7 = v7.blend(v5.rearrange(UP_2), LOW_2);
        v5 = t;
        t = v0.blend(v1.rearrange(DOWN_1), HIGH_1);
        v1 = v1.blend(v0.rearrange(UP_1), LOW_1);
        v0 = t;
        t = v2.blend(v3.rearrange(DOWN_1), HIGH_1);
        v3 = v3.blend(v2.rearrange(UP_1), LOW_1);
        v2 = t;
        t = v4.blend(v5.rearrange(DOWN_1), HIGH_1);
        v5 = v5.blend(v4.rearrange(UP_1), LOW_1);
        v4 = t;
        t = v6.blend(v7.rearrange(DOWN_1), HIGH_1);
        v7 = v7.blend(v6.rearrange(UP_1), LOW_1);
        v6 = t;
        v0.blend(v1.rearrange(DOWN_8), HIGH_8).intoArray(dst, d);
        v2.blend(v3.rearrange(DOWN_8), HIGH_8).intoArray(dst, d + 16);
        v4.blend(v5.rearrange(DOWN_8), HIGH_8).intoArray(dst, d + 32);
        v6.blend(v7.rearrange(DOWN_8), HIGH_8).intoArray(dst, d + 48);
        v1.blend(v0.rearrange(DOWN_8), LOW_8).intoArray(dst, d + 64);
        v3.blend(v2.rearrange(DOWN_8), LOW_8).intoArray(dst, d + 80);
        v5.blend(v4.rearrange(DOWN_8), LOW_8).intoArray(dst, d + 96);
        v7.blend(v6.rearrange(DOWN_8), LOW_8).intoArray(dst, d + 112);
    }

    private static VectorShuffle<Float> shuffle(int shift) {
        return VectorShuffle.fromOp(SPECIES, l -> Math.floorMod(l + shift, L));
    }

    private static VectorMask<Float> mask(int bit, boolean set) {
        boolean[] bits = new boolean[L];
        for (int l = 0; l < L; l++) {
            bits[l] = ((l & bit) != 0) == set;
        }
        return VectorMask.fromArray(SPECIES, bits, 0);
    }
}
