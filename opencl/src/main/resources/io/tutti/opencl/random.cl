/*
 * Uniform and normal numbers from the Philox4x32-10 counter-based generator, bit for bit the stream
 * of io.tutti.tensor.Philox: element i of a draw is a pure function of (seed, offset + i). Built
 * with T and IS_FLOAT (1 when T is float). With cl_khr_fp64 the arithmetic is the CPU's double
 * arithmetic, so uniform values match exactly and normal values to the last bit or so of the
 * device's log/cos; without it, float arithmetic matches the CPU to float rounding.
 */

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

inline uint4 philox(ulong key, ulong counter) {
    uint c0 = (uint) counter;
    uint c1 = (uint) (counter >> 32);
    uint c2 = 0;
    uint c3 = 0;
    uint k0 = (uint) key;
    uint k1 = (uint) (key >> 32);
    for (int round = 0; round < 10; round++) {
        uint hi0 = mul_hi(c0, PHILOX_M0);
        uint lo0 = c0 * PHILOX_M0;
        uint hi1 = mul_hi(c2, PHILOX_M1);
        uint lo1 = c2 * PHILOX_M1;
        c0 = hi1 ^ c1 ^ k0;
        c1 = lo1;
        c2 = hi0 ^ c3 ^ k1;
        c3 = lo0;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    return (uint4) (c0, c1, c2, c3);
}

#if defined(cl_khr_fp64)
typedef double R;
#define R_PI M_PI
/* 53 random bits from two words, as Philox.unit. */
inline R unit(uint hi, uint lo) {
    ulong bits = ((ulong) hi << 32) | (ulong) lo;
    return (double) (bits >> 11) * 0x1.0p-53;
}
#else
typedef float R;
#define R_PI M_PI_F
inline R unit(uint hi, uint lo) {
    return (float) (hi >> 8) * 0x1.0p-24f;
}
#endif

__kernel void random_uniform(const ulong seed, const ulong offset, const R lo, const R hi, const int n,
                             const int outOffset, __global T* out) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    uint4 w = philox(seed, offset + (ulong) i);
    R v = lo + (hi - lo) * unit(w.x, w.y);
#if IS_FLOAT
    /* Rounding to float must not reach the open end of [lo, hi) (the same rule as the reference). */
    if ((R) (float) v >= hi) {
        v = nextafter((float) hi, -INFINITY);
    }
#endif
    out[outOffset + i] = (T) v;
}

__kernel void random_normal(const ulong seed, const ulong offset, const R mean, const R std, const int n,
                            const int outOffset, __global T* out) {
    int i = get_global_id(0);
    if (i >= n) {
        return;
    }
    uint4 w = philox(seed, offset + (ulong) i);
    R u1 = unit(w.x, w.y);
    R u2 = unit(w.z, w.w);
    R z = sqrt((R) -2.0 * log1p(-u1)) * cos((R) 2.0 * R_PI * u2);
    out[outOffset + i] = (T) (mean + std * z);
}
