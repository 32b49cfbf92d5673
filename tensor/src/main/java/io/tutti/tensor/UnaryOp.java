package io.tutti.tensor;

/**
 * The elementwise functions of one argument a {@link Backend} must provide. Each constant carries its
 * double-precision definition, which the reference backend applies directly and every other backend
 * is tested against. The {@code *_GRAD} entries are derivatives that backward passes use, fused so
 * that they cost one pass instead of several.
 */
public enum UnaryOp {
    NEG { public double apply(double x) { return -x; } },
    EXP { public double apply(double x) { return Math.exp(x); } },
    LOG { public double apply(double x) { return Math.log(x); } },
    SQRT { public double apply(double x) { return Math.sqrt(x); } },
    RSQRT { public double apply(double x) { return 1.0 / Math.sqrt(x); } },
    RECIPROCAL { public double apply(double x) { return 1.0 / x; } },
    SQUARE { public double apply(double x) { return x * x; } },
    ABS { public double apply(double x) { return Math.abs(x); } },
    SIGN { public double apply(double x) { return Math.signum(x); } },
    TANH { public double apply(double x) { return Math.tanh(x); } },
    SIGMOID { public double apply(double x) { return ScalarMath.sigmoid(x); } },
    RELU { public double apply(double x) { return x > 0 ? x : (x == x ? 0.0 : x); } },
    GELU { public double apply(double x) { return ScalarMath.gelu(x); } },
    GELU_TANH { public double apply(double x) { return ScalarMath.geluTanh(x); } },
    SILU { public double apply(double x) { return ScalarMath.silu(x); } },
    GELU_GRAD { public double apply(double x) { return ScalarMath.geluGrad(x); } },
    GELU_TANH_GRAD { public double apply(double x) { return ScalarMath.geluTanhGrad(x); } },
    SILU_GRAD { public double apply(double x) { return ScalarMath.siluGrad(x); } };

    /** The function's value at {@code x}, in double precision. */
    public abstract double apply(double x);

    /** Whether an int32 input makes sense (the result is then truncated back to int32). */
    public boolean acceptsIntegers() {
        return this == NEG || this == ABS || this == SIGN || this == RELU || this == SQUARE;
    }
}
