package io.tutti.tensor;

/**
 * The Philox4x32-10 counter-based generator (Salmon et al., SC'11), the one PyTorch and JAX use on
 * accelerators. Output is a pure function of (key, counter), so any element of a random tensor can
 * be computed independently: results do not depend on how work is split over threads or devices.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final double TWO_POW_MINUS_53 = 0x1.0p-53;

    private Philox() {
    }

    /** Four 32-bit random words for {@code counter} under {@code key}, written into {@code out}. */
    public static void block(long key, long counter, int[] out) {
        int c0 = (int) counter;
        int c1 = (int) (counter >>> 32);
        int c2 = 0;
        int c3 = 0;
        int k0 = (int) key;
        int k1 = (int) (key >>> 32);
        for (int round = 0; round < 10; round++) {
            long p0 = (c0 & 0xFFFFFFFFL) * (M0 & 0xFFFFFFFFL);
            long p1 = (c2 & 0xFFFFFFFFL) * (M1 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32);
            int lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32);
            int lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** A uniform double in [0, 1) from two words (53 random bits). */
    public static double unit(int hiWord, int loWord) {
        long bits = ((hiWord & 0xFFFFFFFFL) << 32) | (loWord & 0xFFFFFFFFL);
        return (bits >>> 11) * TWO_POW_MINUS_53;
    }

    /** Element {@code index} of the uniform [0, 1) stream under {@code seed}. */
    public static double uniform(long seed, long index) {
        int[] w = new int[4];
        block(seed, index, w);
        return unit(w[0], w[1]);
    }

    /** Element {@code index} of the standard normal stream under {@code seed} (Box-Muller on one block). */
    public static double normal(long seed, long index) {
        int[] w = new int[4];
        block(seed, index, w);
        double u1 = unit(w[0], w[1]);
        double u2 = unit(w[2], w[3]);
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
