package io.tutti.optim;

import io.tutti.nn.Parameter;
import io.tutti.tensor.Tensor;

/** Small helpers for building parameters with given values and gradients. */
final class Params {
    private Params() {
    }

    static Parameter f64(double... values) {
        return new Parameter(Tensor.of(values, values.length));
    }

    static void grad(Parameter p, double... values) {
        p.grad(Tensor.of(values, values.length).to(p.dtype()));
    }

    static double[] values(Parameter p) {
        return p.data().toDoubleArray();
    }
}
