/*
 * gather and scatter-add along one dimension. index_select and index_add are the same kernels with
 * the 1-d index viewed as a tensor of the full shape (stride 0 off the chosen dimension). Built with
 * T and IS_INT.
 */

/* out[i] = x[i with coordinate `dim` replaced by index[i]]; `w` runs over the output with operands
 * (out, index, x with stride 0 on dim), and `step` is x's stride along dim. */
__kernel void gather(const Walk w, const int step, __global const T* x, __global const int* index, __global T* out) {
    int i = get_global_id(0);
    if (i >= w.numel) {
        return;
    }
    int at[3];
    walk_at(&w, i, 3, at);
    out[at[0]] = x[at[2] + index[at[1]] * step];
}

#if IS_INT
#define ADD_INTO(dst, v) ((dst) = convert_int_sat((long) (dst) + (long) (v)))
#else
#define ADD_INTO(dst, v) ((dst) += (v))
#endif

/*
 * Deterministic scatter-add without atomics: one work-item per line along dim. Elements of one line
 * may hit the same output (repeated indices) and are added in index order, exactly as the reference
 * backend does; different lines differ in some other coordinate, so they never touch the same output
 * element and need no synchronisation. `lines` runs over the index shape with size 1 on dim, with
 * operands (src, index, out with stride 0 on dim); n is the line length.
 */
__kernel void scatter_add(const Walk lines, const int n, const int srcStep, const int indexStep, const int outStep,
                          __global const T* src, __global const int* index, __global T* out) {
    int i = get_global_id(0);
    if (i >= lines.numel) {
        return;
    }
    int at[3];
    walk_at(&lines, i, 3, at);
    for (int k = 0; k < n; k++) {
        int target = at[2] + index[at[1] + k * indexStep] * outStep;
        ADD_INTO(out[target], src[at[0] + k * srcStep]);
    }
}
