package io.tutti.autograd;

import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

/**
 * Makes the sample inputs of the op table in one dtype. Values come from a seeded float64 stream
 * and are then converted, so the float32 and float64 samples of a row hold the same numbers up to
 * rounding.
 */
final class Samples {
    private final DType dtype;
    private final Generator gen;

    Samples(DType dtype, long seed) {
        this.dtype = dtype;
        this.gen = new Generator(seed);
    }

    DType dtype() {
        return dtype;
    }

    /** Standard normal values. */
    Tensor randn(int... shape) {
        return gen.normal(0, 1, DType.FLOAT64, shape).to(dtype);
    }

    /** Uniform values in [lo, hi). */
    Tensor uniform(double lo, double hi, int... shape) {
        return gen.uniform(lo, hi, DType.FLOAT64, shape).to(dtype);
    }

    /** Values in [0.5, 2): safe for log, sqrt, division and real powers. */
    Tensor positive(int... shape) {
        return uniform(0.5, 2, shape);
    }

    /** Given values, in this dtype. */
    Tensor values(double[] values, int... shape) {
        return Tensor.of(values, shape).to(dtype);
    }

    /** An int32 index tensor with entries in [0, bound). */
    Tensor index(int bound, int... shape) {
        Tensor u = gen.uniform(0, bound, DType.FLOAT64, shape);
        return u.to(DType.INT32);
    }

    /** An int32 mask of 0s and 1s. */
    Tensor mask(int... shape) {
        return gen.uniform(0, 1, DType.FLOAT64, shape).lt(0.5).to(DType.INT32);
    }
}
