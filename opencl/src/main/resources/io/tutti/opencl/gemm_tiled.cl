/*
 * Tiled batched GEMM, C = A * B, in the style of the well-known OpenCL SGEMM tutorials:
 *
 *  - A work-group computes a TSM x TSN tile of C. It walks K in steps of TSK, staging a TSM x TSK
 *    tile of A and a TSK x TSN tile of B in local memory, so each global element is read once per
 *    tile instead of once per output.
 *  - Register blocking ("more work per thread"): each work-item accumulates WPTM x WPTN outputs in
 *    private registers, so one local-memory read of A feeds WPTN multiply-adds and one of B feeds WPTM.
 *    The outputs of a work-item are spaced RTSM / RTSN apart, which keeps local reads free of bank
 *    conflicts and global stores coalesced (neighbouring work-items write neighbouring columns).
 *  - VECTOR=1 loads both tiles with vload4 and no bounds checks; the host picks it only when A's rows
 *    and B's rows are unit-stride and M, N, K are multiples of the tile sizes. VECTOR=0 reads through
 *    arbitrary strides and pads ragged edges with zeros, so it is correct for every layout.
 *
 * Built with T, T4 (its 4-vector), TSM, TSN, TSK, WPTM, WPTN, VECTOR; the host chooses the sizes from
 * the device's work-group and local-memory limits (io.tutti.opencl.Gemm). `batch` runs over the
 * batch dimensions with operands (C, A, B).
 */

#define RTSM (TSM / WPTM)
#define RTSN (TSN / WPTN)
#define THREADS (RTSM * RTSN)
/* One column of padding staggers the rows of a local tile across memory banks. */
#define PAD 1

__kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
void gemm_tiled(const int M, const int N, const int K, const Walk batch,
                const int sAm, const int sAk, const int sBk, const int sBn, const int sCm, const int sCn,
                __global const T* restrict A, __global const T* restrict B, __global T* restrict C) {
    __local T As[TSK][TSM + PAD];
    __local T Bs[TSK][TSN + PAD];

    const int tn = get_local_id(0);
    const int tm = get_local_id(1);
    const int tid = tm * RTSN + tn;
    const int m0 = get_group_id(1) * TSM;
    const int n0 = get_group_id(0) * TSN;
    int at[3];
    walk_at(&batch, get_global_id(2), 3, at);
    A += at[1];
    B += at[2];
    C += at[0];

    T acc[WPTM][WPTN];
    for (int wm = 0; wm < WPTM; wm++) {
        for (int wn = 0; wn < WPTN; wn++) {
            acc[wm][wn] = 0;
        }
    }

    for (int k0 = 0; k0 < K; k0 += TSK) {
#if VECTOR
        for (int i = tid; i < TSM * TSK / 4; i += THREADS) {
            int mm = i / (TSK / 4);
            int kk = (i % (TSK / 4)) * 4;
            T4 v = vload4(0, A + (m0 + mm) * sAm + k0 + kk);
            As[kk][mm] = v.x;
            As[kk + 1][mm] = v.y;
            As[kk + 2][mm] = v.z;
            As[kk + 3][mm] = v.w;
        }
        for (int i = tid; i < TSK * TSN / 4; i += THREADS) {
            int kk = i / (TSN / 4);
            int nn = (i % (TSN / 4)) * 4;
            vstore4(vload4(0, B + (k0 + kk) * sBk + n0 + nn), 0, &Bs[kk][nn]);
        }
#else
        /* Consecutive work-items take consecutive k of A and consecutive n of B: coalesced for row-major data. */
        for (int i = tid; i < TSM * TSK; i += THREADS) {
            int mm = i / TSK;
            int kk = i % TSK;
            int m = m0 + mm;
            int k = k0 + kk;
            As[kk][mm] = (m < M && k < K) ? A[m * sAm + k * sAk] : (T) 0;
        }
        for (int i = tid; i < TSK * TSN; i += THREADS) {
            int kk = i / TSN;
            int nn = i % TSN;
            int k = k0 + kk;
            int n = n0 + nn;
            Bs[kk][nn] = (k < K && n < N) ? B[k * sBk + n * sBn] : (T) 0;
        }
#endif
        barrier(CLK_LOCAL_MEM_FENCE);

        for (int k = 0; k < TSK; k++) {
            T b[WPTN];
            for (int wn = 0; wn < WPTN; wn++) {
                b[wn] = Bs[k][tn + wn * RTSN];
            }
            for (int wm = 0; wm < WPTM; wm++) {
                T a = As[k][tm + wm * RTSM];
                for (int wn = 0; wn < WPTN; wn++) {
                    acc[wm][wn] += a * b[wn];
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int wm = 0; wm < WPTM; wm++) {
        int m = m0 + tm + wm * RTSM;
        for (int wn = 0; wn < WPTN; wn++) {
            int n = n0 + tn + wn * RTSN;
            if (m < M && n < N) {
                C[m * sCm + n * sCn] = acc[wm][wn];
            }
        }
    }
}
