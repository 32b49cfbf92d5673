package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.nn.data.Batch;
import io.tutti.nn.data.DataLoader;
import io.tutti.nn.data.TensorDataset;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's example, kept compiling and running (on random data, one short epoch). */
class ReadmeExampleTest {
    @Test
    void theReadmeExampleRuns(@TempDir Path dir) throws IOException {
        Tensor images = new Generator(1).randn(8, 1, 6, 6);
        Tensor labels = new Generator(2).uniform(0, 10, DType.FLOAT64, 8).to(DType.INT32);

        Generator gen = new Generator(0);
        Sequential model = new Sequential(
                new Conv2d(1, 8, 3, 1, 1, false, gen), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
                new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 10, gen));

        DataLoader loader = DataLoader.builder(TensorDataset.of("x", images, "y", labels))
                .batchSize(4).shuffle(42).dropLast(true).build();
        for (int epoch = 0; epoch < 1; epoch++) {
            try (DataLoader.BatchIterator it = loader.iterator(epoch)) {
                while (it.hasNext()) {
                    Batch b = it.next();
                    Variable loss = Losses.crossEntropy(model.forward(b.get("x")), b.get("y"), null,
                            Losses.IGNORE_INDEX, 0.1, Reduction.MEAN);
                    loss.backward();
                    for (Parameter p : model.parameters()) {
                        p.data().addInPlace(p.grad(), -0.05);
                    }
                    model.zeroGrad();
                }
            }
        }
        model.eval();
        StateDicts.save(model, dir.resolve("model.safetensors"), Map.of("epoch", "5"));
        assertThat(StateDicts.load(model, dir.resolve("model.safetensors"))).containsEntry("epoch", "5");
        assertThat(((BatchNorm) model.get(1)).numBatchesTracked()).isEqualTo(2);
    }
}
