package io.tutti.tensor;

/**
 * The elementwise functions of two arguments a {@link Backend} must provide, each with its
 * double-precision definition. Comparisons return 1 or 0 in the operands' promoted dtype.
 */
public enum BinaryOp {
    ADD { public double apply(double a, double b) { return a + b; } },
    SUB { public double apply(double a, double b) { return a - b; } },
    MUL { public double apply(double a, double b) { return a * b; } },
    DIV { public double apply(double a, double b) { return a / b; } },
    POW { public double apply(double a, double b) { return Math.pow(a, b); } },
    /** NaN-propagating, as {@code torch.maximum}. */
    MAXIMUM { public double apply(double a, double b) { return Math.max(a, b); } },
    MINIMUM { public double apply(double a, double b) { return Math.min(a, b); } },
    EQ { public double apply(double a, double b) { return a == b ? 1 : 0; } },
    NE { public double apply(double a, double b) { return a != b ? 1 : 0; } },
    LT { public double apply(double a, double b) { return a < b ? 1 : 0; } },
    LE { public double apply(double a, double b) { return a <= b ? 1 : 0; } },
    GT { public double apply(double a, double b) { return a > b ? 1 : 0; } },
    GE { public double apply(double a, double b) { return a >= b ? 1 : 0; } };

    public abstract double apply(double a, double b);

    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }
}
