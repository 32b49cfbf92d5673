package io.tutti.optim;

import io.tutti.autograd.Variable;
import io.tutti.nn.Module;
import io.tutti.nn.Parameter;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

/** A hand-built linear layer for the optimizer tests (the nn layers are not a dependency here). */
final class TinyLinear extends Module {
    final Parameter weight;
    final Parameter bias;

    TinyLinear(int in, int out, DType dtype, Generator init) {
        weight = registerParameter("weight", new Parameter(init.uniform(-0.5, 0.5, dtype, out, in)));
        bias = registerParameter("bias", new Parameter(Tensor.zeros(dtype, out)));
    }

    Variable forward(Variable x) {
        return x.matmul(weight.t()).add(bias);
    }

    /** Mean squared error against {@code target}. */
    Variable mse(Tensor x, Tensor target) {
        return forward(new Variable(x)).sub(new Variable(target)).square().mean();
    }
}
