package io.tutti.opencl;

import io.tutti.autograd.Variable;
import io.tutti.nn.BatchNorm2d;
import io.tutti.nn.Conv2d;
import io.tutti.nn.Flatten;
import io.tutti.nn.Layer;
import io.tutti.nn.Linear;
import io.tutti.nn.Losses;
import io.tutti.nn.MaxPool2d;
import io.tutti.nn.Parameter;
import io.tutti.nn.ReLU;
import io.tutti.nn.Sequential;
import io.tutti.optim.SGD;
import io.tutti.tensor.Device;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: the same models, from the same initial weights, trained for some SGD steps on the CPU
 * and on the OpenCL device give the same losses and weights within float tolerance. Every layer,
 * loss, backward and optimizer update runs on the device unchanged.
 */
class OpenClTrainingTest {
    private static final int STEPS = 6;

    @Test
    void mlpTrainsTheSameOnTheDevice() {
        Supplier<Layer> mlp = () -> {
            Generator g = new Generator(11);
            return new Sequential(new Linear(20, 32, g), new ReLU(), new Linear(32, 16, g), new ReLU(), new Linear(16, 4, g));
        };
        Generator data = new Generator(5);
        compare(mlp, data.randn(24, 20), labels(24, 4, 6));
    }

    @Test
    void smallCnnWithBatchNormTrainsTheSameOnTheDevice() {
        Supplier<Layer> cnn = () -> {
            Generator g = new Generator(12);
            return new Sequential(new Conv2d(1, 6, 3, 1, 1, true, g), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2),
                    new Conv2d(6, 8, 3, 1, 1, true, g), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8 * 3 * 3, 5, g));
        };
        Generator data = new Generator(6);
        compare(cnn, data.randn(10, 1, 12, 12), labels(10, 5, 7));
    }

    private static Tensor labels(int n, int classes, long seed) {
        Generator g = new Generator(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = g.nextInt(classes);
        }
        return Tensor.of(y, n);
    }

    private static void compare(Supplier<Layer> build, Tensor x, Tensor y) {
        Device device = TestDevice.get();
        Layer cpuModel = build.get();
        Layer deviceModel = build.get();
        deviceModel.to(device);
        List<Double> cpuLosses = train(cpuModel, x, y);
        List<Double> deviceLosses = train(deviceModel, x.to(device), y.to(device));
        for (int i = 0; i < STEPS; i++) {
            assertThat(deviceLosses.get(i)).as("loss at step %d", i).isCloseTo(cpuLosses.get(i), org.assertj.core.data.Offset.offset(1e-4));
        }
        assertThat(cpuLosses.get(STEPS - 1)).as("the model learns").isLessThan(cpuLosses.get(0));
        List<Parameter> cpuParams = cpuModel.parameters();
        List<Parameter> deviceParams = deviceModel.parameters();
        for (int i = 0; i < cpuParams.size(); i++) {
            assertThat(deviceParams.get(i).device()).isEqualTo(device);
            float[] a = cpuParams.get(i).data().toFloatArray();
            float[] b = deviceParams.get(i).data().toFloatArray();
            for (int j = 0; j < a.length; j++) {
                assertThat(b[j]).as("parameter %d element %d", i, j).isCloseTo(a[j], org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }

    private static List<Double> train(Layer model, Tensor x, Tensor y) {
        SGD sgd = new SGD(model.parameters(), SGD.options().lr(0.05).momentum(0.9));
        List<Double> losses = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            sgd.zeroGrad();
            Variable loss = Losses.crossEntropy(model.forward(x), y);
            loss.backward();
            sgd.step();
            losses.add(loss.item());
        }
        return losses;
    }
}
