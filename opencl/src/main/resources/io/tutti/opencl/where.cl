/* out = cond != 0 ? a : b. Built with T (the values' type) and C (the condition's type, any dtype). */

__kernel void where(const Walk w, __global const C* cond, __global const T* a, __global const T* b, __global T* out) {
    int i = get_global_id(0);
    if (i >= w.numel) {
        return;
    }
    int at[4];
    walk_at(&w, i, 4, at);
    out[at[3]] = cond[at[0]] != 0 ? a[at[1]] : b[at[2]];
}
