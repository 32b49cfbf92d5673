package io.tutti.optim;

import io.tutti.autograd.Variable;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Small models actually learn with each optimizer. */
class TrainingTest {

    /** y = 2 x1 - 3 x2 + 0.5 x3 + 1, no noise. */
    private static Tensor[] regressionData() {
        Generator gen = new Generator(21);
        Tensor x = gen.normal(0, 1, DType.FLOAT32, 64, 3);
        Tensor w = Tensor.of(new float[] {2, -3, 0.5f}, 3, 1);
        return new Tensor[] {x, x.matmul(w).add(1.0)};
    }

    private static double[] trainRegression(Function<TinyLinear, Optimizer> optimizer, int steps) {
        Tensor[] data = regressionData();
        TinyLinear model = new TinyLinear(3, 1, DType.FLOAT32, new Generator(1));
        Optimizer opt = optimizer.apply(model);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Variable loss = model.mse(data[0], data[1]);
            loss.backward();
            opt.step();
            if (s == 0) {
                first = loss.item();
            }
            last = loss.item();
        }
        return new double[] {first, last};
    }

    @Test
    void sgdWithMomentumFitsALinearFunction() {
        double[] loss = trainRegression(m -> new SGD(m.parameters(), SGD.options().lr(0.05).momentum(0.9)), 150);
        assertThat(loss[0]).isGreaterThan(1.0);
        assertThat(loss[1]).isLessThan(1e-4 * loss[0]);
    }

    @Test
    void adamFitsALinearFunction() {
        double[] loss = trainRegression(m -> new Adam(m.parameters(), Adam.options().lr(0.1)), 300);
        assertThat(loss[1]).isLessThan(1e-3 * loss[0]);
    }

    @Test
    void adamWithSamClassifiesASeparableSet() {
        Generator gen = new Generator(8);
        Tensor x = gen.normal(0, 1, DType.FLOAT32, 128, 2);
        Tensor labels = x.select(1, 0).add(x.select(1, 1)).gt(0.0).to(DType.INT32);   // class 1 above the diagonal
        TinyLinear model = new TinyLinear(2, 2, DType.FLOAT32, new Generator(2));
        SAM sam = new SAM(new AdamW(model.parameters(), Adam.options().lr(0.05)), SAM.options().rho(0.05));
        Closure closure = () -> {
            Variable logits = model.forward(new Variable(x));
            Variable loss = logits.logSoftmax(1).gather(1, labels.unsqueeze(1)).mean().neg();
            loss.backward();
            return loss.item();
        };
        double first = closure.evaluate();
        double last = first;
        for (int s = 0; s < 100; s++) {
            last = sam.step(closure);
            sam.zeroGrad();
            closure.evaluate();
        }
        Tensor predicted = model.forward(new Variable(x)).argmax(1, false);
        double accuracy = predicted.eq(labels).to(DType.FLOAT64).mean().item();
        assertThat(last).isLessThan(0.5 * first);
        assertThat(accuracy).isGreaterThanOrEqualTo(0.97);
    }
}
