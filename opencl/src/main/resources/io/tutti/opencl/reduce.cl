/*
 * Reductions over any set of axes, and arg-max / arg-min along one axis. Built with T (element
 * type), ACC (accumulator: T for floating types, long for int32, saturated once when stored, as the
 * reference backend's double accumulation and (int) cast would) and IS_INT.
 *
 * Two walks describe a reduction: `kept` runs over the output (operands: out, x at the start of
 * each reduced block) and `red` over the reduced axes of x (one operand, offset 0).
 * Op codes must match io.tutti.opencl.OpCodes.
 */

#define R_SUM 0
#define R_PROD 1
#define R_MAX 2
#define R_MIN 3

inline ACC r_identity(int op) {
    switch (op) {
        case R_SUM: return 0;
#if IS_INT
        case R_PROD: return 1;
        case R_MAX: return LONG_MIN;
        default: return LONG_MAX;
#else
        case R_PROD: return 1;
        case R_MAX: return -INFINITY;
        default: return INFINITY;
#endif
    }
}

inline ACC r_combine(int op, ACC acc, ACC x) {
    switch (op) {
        case R_SUM: return acc + x;
#if IS_INT
        case R_PROD: {
            /* Clamp just past int range: the stored value saturates the same, and 64 bits never overflow. */
            ACC p = acc * x;
            return p > ((ACC) INT_MAX + 1) ? (ACC) INT_MAX + 1 : (p < (ACC) INT_MIN - 1 ? (ACC) INT_MIN - 1 : p);
        }
#else
        case R_PROD: return acc * x;
#endif
        /* NaN propagates, as ReduceOp.combine (x != x is always false for integers). */
        case R_MAX: return (x > acc || x != x) ? x : acc;
        default: return (x < acc || x != x) ? x : acc;
    }
}

#if IS_INT
#define R_STORE(acc) convert_int_sat(acc)
#else
#define R_STORE(acc) ((T) (acc))
#endif

/* One work-item per output element: right when there are many outputs or short reductions. */
__kernel void reduce_serial(const int op, const Walk kept, const Walk red, __global const T* x, __global T* out) {
    int i = get_global_id(0);
    if (i >= kept.numel) {
        return;
    }
    int at[2];
    walk_at(&kept, i, 2, at);
    ACC acc = r_identity(op);
    for (int r = 0; r < red.numel; r++) {
        int o[1];
        walk_at(&red, r, 1, o);
        acc = r_combine(op, acc, (ACC) x[at[1] + o[0]]);
    }
    out[at[0]] = R_STORE(acc);
}

/*
 * One work-group per output element: each work-item folds a strided share of the reduced
 * elements, then the group combines the partial results as a tree in local memory. Used for long
 * reductions into few outputs (a full sum), where one work-item per output would leave the
 * device idle; the tree also keeps float sums accurate.
 */
__kernel void reduce_group(const int op, const Walk kept, const Walk red, __global const T* x, __global T* out,
                           __local ACC* partial) {
    int g = get_group_id(0);
    int l = get_local_id(0);
    int size = get_local_size(0);
    int at[2];
    walk_at(&kept, g, 2, at);
    ACC acc = r_identity(op);
    for (int r = l; r < red.numel; r += size) {
        int o[1];
        walk_at(&red, r, 1, o);
        acc = r_combine(op, acc, (ACC) x[at[1] + o[0]]);
    }
    partial[l] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int span = size / 2; span > 0; span /= 2) {
        if (l < span) {
            partial[l] = r_combine(op, partial[l], partial[l + span]);
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (l == 0) {
        out[at[0]] = R_STORE(partial[0]);
    }
}

/*
 * Index of the largest (is_max) or smallest element along one axis of length n and stride step;
 * `w` runs over the output (operands: out, x at index 0 of the axis). First index wins ties, and a
 * NaN is the extreme value (so the first NaN wins), as in PyTorch.
 */
__kernel void arg_reduce(const int is_max, const Walk w, const int n, const int step, __global const T* x,
                         __global int* out) {
    int i = get_global_id(0);
    if (i >= w.numel) {
        return;
    }
    int at[2];
    walk_at(&w, i, 2, at);
    int best = 0;
    T bestValue = x[at[1]];
    for (int k = 1; k < n && bestValue == bestValue; k++) {
        T v = x[at[1] + k * step];
        bool better = is_max ? v > bestValue : v < bestValue;
        if (better || v != v) {
            best = k;
            bestValue = v;
        }
    }
    out[at[0]] = best;
}
