/*
 * Prepended to every Tutti kernel file. Defines the Walk struct through which a kernel finds the
 * storage offset of element i of each strided operand, so one kernel serves every layout
 * (contiguous, transposed, sliced, broadcast with stride 0) without host-side copies.
 */
#if defined(cl_khr_fp64)
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define MAX_RANK 8
#define MAX_OPERANDS 4

/* Must match io.tutti.opencl.Walk#pack: ints only, so host and device agree on the layout. */
typedef struct {
    int rank;
    int numel;
    int shape[MAX_RANK];
    int offset[MAX_OPERANDS];
    int stride[MAX_OPERANDS][MAX_RANK];
} Walk;

/* Storage offsets of element `linear` (row-major over the walk's shape) for the first n operands. */
inline void walk_at(const Walk* w, int linear, int n, int* at) {
    for (int t = 0; t < n; t++) {
        at[t] = w->offset[t];
    }
    for (int d = w->rank - 1; d >= 0; d--) {
        int size = w->shape[d];
        int i = linear % size;
        linear /= size;
        for (int t = 0; t < n; t++) {
            at[t] += i * w->stride[t][d];
        }
    }
}

/*
 * Floating constants written once for both precisions: FLIT(0.5) is 0.5 in double kernels and
 * 0.5f in float ones (a bare double literal is not allowed on devices without cl_khr_fp64).
 */
#if defined(F_IS_DOUBLE) && F_IS_DOUBLE
#define FLIT(x) x
#else
#define FLIT(x) x##f
#endif
