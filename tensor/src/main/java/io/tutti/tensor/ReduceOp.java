package io.tutti.tensor;

/** The reductions a {@link Backend} must provide along any set of axes. */
public enum ReduceOp {
    SUM(0.0),
    PROD(1.0),
    MAX(Double.NEGATIVE_INFINITY),
    MIN(Double.POSITIVE_INFINITY);

    private final double identity;

    ReduceOp(double identity) {
        this.identity = identity;
    }

    /** The value of the reduction over no elements. */
    public double identity() {
        return identity;
    }

    /** Folds one more element into an accumulator. MAX and MIN propagate NaN, as PyTorch does. */
    public double combine(double acc, double x) {
        switch (this) {
            case SUM: return acc + x;
            case PROD: return acc * x;
            case MAX: return (x > acc || x != x) ? x : acc;
            default: return (x < acc || x != x) ? x : acc;
        }
    }
}
