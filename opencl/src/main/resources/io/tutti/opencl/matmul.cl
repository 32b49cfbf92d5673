/*
 * The simple batched matmul: one work-item per output element and a plain k loop, reading both
 * operands through arbitrary strides. Used for int32 (ACC = long, saturated once), for problems too
 * small to fill a tile, and when no tiled configuration fits the device. `batch` runs over the batch
 * dimensions with operands (out, a, b).
 */

#if IS_INT
#define M_STORE(acc) convert_int_sat(acc)
#else
#define M_STORE(acc) ((T) (acc))
#endif

__kernel void gemm_simple(const int M, const int N, const int K, const Walk batch,
                          const int sAm, const int sAk, const int sBk, const int sBn, const int sCm, const int sCn,
                          __global const T* A, __global const T* B, __global T* C) {
    int n = get_global_id(0);
    int m = get_global_id(1);
    if (n >= N || m >= M) {
        return;
    }
    int at[3];
    walk_at(&batch, get_global_id(2), 3, at);
    __global const T* a = A + at[1] + m * sAm;
    __global const T* b = B + at[2] + n * sBn;
    ACC sum = 0;
    for (int k = 0; k < K; k++) {
        sum += (ACC) a[k * sAk] * (ACC) b[k * sBk];
    }
    C[at[0] + m * sCm + n * sCn] = M_STORE(sum);
}
