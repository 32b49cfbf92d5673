package io.tutti.optim;

import io.tutti.autograd.Variable;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The training loop of optim/README.md, kept compiling and running here. */
class ReadmeExampleTest {

    @Test
    void trainingLoopFromTheReadme(@TempDir Path dir) throws Exception {
        Generator data = new Generator(0);
        Tensor x = data.normal(0, 1, DType.FLOAT32, 64, 3);
        Tensor y = x.matmul(Tensor.of(new float[] {1, -2, 0.5f}, 3, 1));
        TinyLinear model = new TinyLinear(3, 1, DType.FLOAT32, new Generator(1));
        Path checkpointFile = dir.resolve("last.safetensors");
        int epochs = 60;
        double initialLoss = model.mse(x, y).item();

        // --- README example starts
        AdamW optimizer = new AdamW(List.of(
                ParamGroup.of(model.weight),
                ParamGroup.of(model.bias).weightDecay(0.0)),       // no decay on the bias
            Adam.options().lr(0.2).weightDecay(1e-4));
        LRScheduler scheduler = LinearWarmup.thenCosine(optimizer, 5, 0.1, epochs, 1e-4);
        optimizer.addGradientTransform(GradientTransform.clipNorm(1.0));

        for (int epoch = 0; epoch < epochs; epoch++) {
            optimizer.zeroGrad();
            Variable loss = model.forward(new Variable(x)).sub(new Variable(y)).square().mean();
            loss.backward();
            optimizer.step();                                   // transforms, then the update
            scheduler.step();                                   // once per epoch here
            if (epoch % 10 == 9) {
                Checkpoint.capture(model, optimizer, scheduler, epoch).withGenerator("data", data).save(checkpointFile);
            }
        }
        // --- README example ends

        Checkpoint last = Checkpoint.load(checkpointFile);
        assertThat(last.epoch()).isEqualTo(epochs - 1);
        double finalLoss = model.mse(x, y).item();
        assertThat(finalLoss).isLessThan(0.01 * initialLoss);
    }
}
