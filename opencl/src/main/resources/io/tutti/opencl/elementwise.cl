/*
 * fill, unary and binary over strided views. Built with T (the tensor's element type), F (the
 * floating type the transcendental formulas run in: T itself for float tensors, double or float for
 * int32 tensors), F_IS_DOUBLE and IS_INT. The op is a runtime argument: one program per dtype
 * serves every op, and the switch costs nothing on GPUs because all work-items take the same case.
 *
 * Op codes must match io.tutti.opencl.OpCodes.
 */

#define U_NEG 0
#define U_EXP 1
#define U_LOG 2
#define U_SQRT 3
#define U_RSQRT 4
#define U_RECIPROCAL 5
#define U_SQUARE 6
#define U_ABS 7
#define U_SIGN 8
#define U_TANH 9
#define U_SIGMOID 10
#define U_RELU 11
#define U_GELU 12
#define U_GELU_TANH 13
#define U_SILU 14
#define U_GELU_GRAD 15
#define U_GELU_TANH_GRAD 16
#define U_SILU_GRAD 17

#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_POW 4
#define B_MAXIMUM 5
#define B_MINIMUM 6
#define B_EQ 7
#define B_NE 8
#define B_LT 9
#define B_LE 10
#define B_GT 11
#define B_GE 12

__kernel void fill(const Walk w, __global T* dst, const T value) {
    int i = get_global_id(0);
    if (i >= w.numel) {
        return;
    }
    int at[1];
    walk_at(&w, i, 1, at);
    dst[at[0]] = value;
}

/* ---- floating formulas, the same definitions as io.tutti.tensor.UnaryOp and ScalarMath ---- */

inline F f_sigmoid(F x) {
    if (x >= 0) {
        return FLIT(1.0) / (FLIT(1.0) + exp(-x));
    }
    F e = exp(x);
    return e / (FLIT(1.0) + e);
}

inline F f_gelu_tanh_inner(F x) {
    return FLIT(0.7978845608028654) * (x + FLIT(0.044715) * x * x * x);
}

inline F f_unary(int op, F x) {
    switch (op) {
        case U_NEG: return -x;
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SQRT: return sqrt(x);
        case U_RSQRT: return FLIT(1.0) / sqrt(x);
        case U_RECIPROCAL: return FLIT(1.0) / x;
        case U_SQUARE: return x * x;
        case U_ABS: return fabs(x);
        /* Math.signum: NaN and signed zeros pass through (OpenCL's sign() maps NaN to 0). */
        case U_SIGN: return x > 0 ? FLIT(1.0) : (x < 0 ? FLIT(-1.0) : x);
        case U_TANH: return tanh(x);
        case U_SIGMOID: return f_sigmoid(x);
        case U_RELU: return x > 0 ? x : (x == x ? FLIT(0.0) : x);
        case U_GELU: return FLIT(0.5) * x * (FLIT(1.0) + erf(x * FLIT(0.7071067811865476)));
        case U_GELU_TANH: return FLIT(0.5) * x * (FLIT(1.0) + tanh(f_gelu_tanh_inner(x)));
        case U_SILU: return x * f_sigmoid(x);
        case U_GELU_GRAD: {
            F cdf = FLIT(0.5) * (FLIT(1.0) + erf(x * FLIT(0.7071067811865476)));
            F pdf = FLIT(0.3989422804014327) * exp(FLIT(-0.5) * x * x);
            return cdf + x * pdf;
        }
        case U_GELU_TANH_GRAD: {
            F t = tanh(f_gelu_tanh_inner(x));
            F du = FLIT(0.7978845608028654) * (FLIT(1.0) + FLIT(3.0) * FLIT(0.044715) * x * x);
            return FLIT(0.5) * (FLIT(1.0) + t) + FLIT(0.5) * x * (FLIT(1.0) - t * t) * du;
        }
        case U_SILU_GRAD: {
            F s = f_sigmoid(x);
            return s * (FLIT(1.0) + x * (FLIT(1.0) - s));
        }
        default: return NAN;
    }
}

/* Math.max / Math.min: NaN wins, and +0 beats -0 for max (-0 for min). */
inline F f_maximum(F a, F b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a > b) return a;
    if (b > a) return b;
    return signbit(a) ? b : a;
}

inline F f_minimum(F a, F b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a < b) return a;
    if (b < a) return b;
    return signbit(a) ? a : b;
}

inline F f_binary(int op, F a, F b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_POW: return pow(a, b);
        case B_MAXIMUM: return f_maximum(a, b);
        case B_MINIMUM: return f_minimum(a, b);
        case B_EQ: return a == b ? FLIT(1.0) : FLIT(0.0);
        case B_NE: return a != b ? FLIT(1.0) : FLIT(0.0);
        case B_LT: return a < b ? FLIT(1.0) : FLIT(0.0);
        case B_LE: return a <= b ? FLIT(1.0) : FLIT(0.0);
        case B_GT: return a > b ? FLIT(1.0) : FLIT(0.0);
        case B_GE: return a >= b ? FLIT(1.0) : FLIT(0.0);
        default: return NAN;
    }
}

#if IS_INT
/*
 * int32 results follow the reference backend, which computes in double and casts back with
 * Java's saturating (int): so arithmetic runs in 64 bits and saturates once at the end.
 */
inline long i_pow(long a, long b) {
    if (a == 0) return b == 0 ? 1 : (b < 0 ? LONG_MAX : 0);   /* 0^-n is +inf, which saturates */
    if (a == 1) return 1;
    if (a == -1) return (b & 1) ? -1 : 1;
    if (b < 0) return 0;                                        /* |a| >= 2: the fraction truncates to 0 */
    long r = 1;
    for (long k = 0; k < b; k++) {                              /* at most 32 rounds before int overflow */
        r *= a;
        if (r > INT_MAX || r < INT_MIN) {
            return (a < 0 && (b & 1)) ? LONG_MIN : LONG_MAX;
        }
    }
    return r;
}

inline T apply_unary(int op, T v) {
    long x = v;
    switch (op) {
        case U_NEG: return convert_int_sat(-x);
        case U_ABS: return convert_int_sat(x < 0 ? -x : x);
        case U_SIGN: return x > 0 ? 1 : (x < 0 ? -1 : 0);
        case U_RELU: return x > 0 ? v : 0;
        case U_SQUARE: return convert_int_sat(x * x);
        default: return convert_int_sat_rtz(f_unary(op, (F) v));
    }
}

inline T apply_binary(int op, T va, T vb) {
    long a = va;
    long b = vb;
    switch (op) {
        case B_ADD: return convert_int_sat(a + b);
        case B_SUB: return convert_int_sat(a - b);
        case B_MUL: return convert_int_sat(a * b);
        case B_DIV:
            if (b == 0) return a > 0 ? INT_MAX : (a < 0 ? INT_MIN : 0);
            return convert_int_sat(a / b);
        case B_POW: return convert_int_sat(i_pow(a, b));
        case B_MAXIMUM: return a > b ? va : vb;
        case B_MINIMUM: return a < b ? va : vb;
        case B_EQ: return a == b;
        case B_NE: return a != b;
        case B_LT: return a < b;
        case B_LE: return a <= b;
        case B_GT: return a > b;
        case B_GE: return a >= b;
        default: return 0;
    }
}
#else
#define apply_unary f_unary
#define apply_binary f_binary
#endif

__kernel void unary(const int op, const Walk w, __global const T* x, __global T* out) {
    int i = get_global_id(0);
    if (i >= w.numel) {
        return;
    }
    int at[2];
    walk_at(&w, i, 2, at);
    out[at[1]] = apply_unary(op, x[at[0]]);
}

__kernel void binary(const int op, const Walk w, __global const T* a, __global const T* b, __global T* out) {
    int i = get_global_id(0);
    if (i >= w.numel) {
        return;
    }
    int at[3];
    walk_at(&w, i, 3, at);
    out[at[2]] = apply_binary(op, a[at[0]], b[at[1]]);
}
