/* Strided copy with dtype conversion. Built with S (source type), D (destination type) and
 * CONVERT: convert_int_sat_rtz for int destinations (Java's (int) cast: truncation toward zero,
 * saturation, NaN to 0), convert_float / convert_double (round to nearest even) otherwise. */

__kernel void copy(const Walk w, __global const S* src, __global D* dst) {
    int i = get_global_id(0);
    if (i >= w.numel) {
        return;
    }
    int at[2];
    walk_at(&w, i, 2, at);
    dst[at[1]] = CONVERT(src[at[0]]);
}
