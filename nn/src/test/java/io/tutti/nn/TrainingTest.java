package io.tutti.nn;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.Variable;
import io.tutti.nn.data.Batch;
import io.tutti.nn.data.DataLoader;
import io.tutti.nn.data.TensorDataset;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An MLP and a small CNN learn separable synthetic problems with a plain SGD step written here. */
@SuppressWarnings("try")   // scopes are opened only to be closed
class TrainingTest {
    /** {@code p -= lr * grad} for every parameter, then clears the gradients. */
    private static void sgdStep(Module model, double lr) {
        for (Parameter p : model.parameters()) {
            if (p.grad() != null) {
                p.data().addInPlace(p.grad(), -lr);
            }
        }
        model.zeroGrad();
    }

    private static double accuracy(Layer model, Tensor x, Tensor y) {
        model.eval();
        try (var g = Autograd.noGrad()) {
            Tensor predicted = model.forward(x).argmax(1, false);
            model.train();
            return predicted.eq(y).to(DType.FLOAT32).mean().item();
        }
    }

    /** Summary of one training run: the loss of the first and last epochs and the accuracy before and after. */
    private record Run(double firstLoss, double lastLoss, double accuracyBefore, double accuracyAfter) {
    }

    private static Run train(Layer model, TensorDataset data, int epochs, double lr) {
        Tensor x = data.fields().get("x");
        Tensor y = data.fields().get("y");
        double before = accuracy(model, x, y);
        DataLoader loader = DataLoader.builder(data).batchSize(16).shuffle(7).build();
        double first = 0;
        double last = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            double sum = 0;
            int n = 0;
            for (Batch b : loader) {
                Variable loss = Losses.crossEntropy(model.forward(b.get("x")), b.get("y"));
                loss.backward();
                sgdStep(model, lr);
                sum += loss.item();
                n++;
            }
            if (epoch == 0) {
                first = sum / n;
            }
            last = sum / n;
        }
        return new Run(first, last, before, accuracy(model, x, y));
    }

    @Test
    void anMlpLearnsTwoInterleavedClusters() {
        Generator g = new Generator(1);
        int n = 128;
        Tensor y = g.uniform(0, 3, DType.FLOAT64, n).to(DType.INT32);   // three classes
        Tensor centres = Tensor.of(new float[] {2, 0, -1, 1.7f, -1, -1.7f}, 3, 2);
        Tensor x = centres.indexSelect(0, y).add(g.normal(0, 0.4, DType.FLOAT32, n, 2));
        Sequential mlp = Mlp.of(new Generator(2), ReLU::new, 2, 16, 3);
        Run r = train(mlp, TensorDataset.of("x", x, "y", y), 15, 0.1);
        assertThat(r.lastLoss()).isLessThan(0.5 * r.firstLoss());
        assertThat(r.accuracyAfter()).isGreaterThan(0.95).isGreaterThan(r.accuracyBefore());
    }

    @Test
    void aSmallCnnLearnsWhereTheBarIs() {
        // 8x8 images holding one bright bar: class 0 horizontal, class 1 vertical, plus noise.
        Generator g = new Generator(3);
        int n = 96;
        Tensor images = g.normal(0, 0.3, DType.FLOAT32, n, 1, 8, 8);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int at = 1 + g.nextInt(6);
            Tensor plane = images.select(0, i).select(0, 0);
            (labels[i] == 0 ? plane.select(0, at) : plane.select(1, at)).addInPlace(Tensor.scalar(1.5, DType.FLOAT32));
        }
        Tensor y = Tensor.of(labels, n);
        Generator init = new Generator(4);
        Sequential cnn = new Sequential(new Conv2d(1, 4, 3, 1, 1, true, init), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                new Conv2d(4, 8, 3, 1, 1, true, init), new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 2, init));
        Run r = train(cnn, TensorDataset.of("x", images, "y", y), 12, 0.1);
        assertThat(r.lastLoss()).isLessThan(0.5 * r.firstLoss());
        assertThat(r.accuracyAfter()).isGreaterThan(0.9).isGreaterThan(r.accuracyBefore());
    }
}
