package io.tutti.optim;

import io.tutti.autograd.Variable;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Safetensors;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Resuming from a checkpoint continues exactly as if training had never stopped. */
class CheckpointTest {
    private static final int BATCHES = 4;
    private static final Tensor X = new Generator(99).normal(0, 1, DType.FLOAT32, 32, 4);
    private static final Tensor Y = new Generator(98).normal(0, 1, DType.FLOAT32, 32, 3);

    /** Everything a training run owns: model, optimizer, scheduler, data-order generator, an OWM projector. */
    private static final class Run {
        final TinyLinear model;
        final Optimizer optimizer;
        final LRScheduler scheduler;
        final Generator shuffle = new Generator(5);
        final OwmProjector owm = new OwmProjector(4);
        int step;

        Run(long initSeed, Function<TinyLinear, Optimizer> makeOptimizer, Function<Optimizer, LRScheduler> makeScheduler) {
            model = new TinyLinear(4, 3, DType.FLOAT32, new Generator(initSeed));
            optimizer = makeOptimizer.apply(model);
            scheduler = makeScheduler.apply(optimizer);
            optimizer.addGradientTransform(GradientTransform.clipNorm(0.5));
            optimizer.addGradientTransform(owm.transformFor(model.weight));
        }

        /** One optimizer step on a random minibatch of 8, the scheduler stepped per batch. */
        void trainStep() {
            int[] order = shuffle.permutation(32);
            Tensor index = Tensor.of(java.util.Arrays.copyOf(order, 8), 8);
            Tensor x = X.indexSelect(0, index);
            Tensor y = Y.indexSelect(0, index);
            optimizer.zeroGrad();
            Variable loss = model.mse(x, y);
            loss.backward();
            owm.update(x, OwmProjector.mlaAlpha(step % BATCHES, BATCHES));
            optimizer.step();
            scheduler.step();
            step++;
        }

        Checkpoint checkpoint() {
            return Checkpoint.capture(model, optimizer, scheduler, step)
                    .withGenerator("shuffle", shuffle)
                    .withState("owm", owm.stateDict())
                    .withMetadata("note", "resume test");
        }

        void restore(Checkpoint c) {
            c.restore(model, optimizer, scheduler);
            c.restoreGenerator("shuffle", shuffle);
            owm.loadStateDict(c.state("owm"));
            step = c.epoch();
        }

        float[] parameters() {
            float[] w = model.weight.data().toFloatArray();
            float[] b = model.bias.data().toFloatArray();
            float[] all = java.util.Arrays.copyOf(w, w.length + b.length);
            System.arraycopy(b, 0, all, w.length, b.length);
            return all;
        }
    }

    private static void assertResumesExactly(Path dir, Function<TinyLinear, Optimizer> makeOptimizer,
                                             Function<Optimizer, LRScheduler> makeScheduler) throws Exception {
        Run straight = new Run(1, makeOptimizer, makeScheduler);
        for (int i = 0; i < 5; i++) {
            straight.trainStep();
        }
        Path file = dir.resolve("ckpt.safetensors");
        straight.checkpoint().save(file);
        for (int i = 0; i < 6; i++) {
            straight.trainStep();
        }

        Run resumed = new Run(12345, makeOptimizer, makeScheduler);   // different initial weights, fresh state
        resumed.restore(Checkpoint.load(file));
        assertThat(resumed.step).isEqualTo(5);
        for (int i = 0; i < 6; i++) {
            resumed.trainStep();
        }
        assertThat(resumed.parameters()).containsExactly(straight.parameters());
        assertThat(resumed.scheduler.lastLrs()).containsExactly(straight.scheduler.lastLrs());
        assertThat(resumed.shuffle.offset()).isEqualTo(straight.shuffle.offset());
        assertThat(resumed.parameters()).as("training moved the weights").isNotEqualTo(new Run(1, makeOptimizer, makeScheduler).parameters());
    }

    @Test
    void adamWithGroupsWarmupAndCosineResumesBitForBit(@TempDir Path dir) throws Exception {
        assertResumesExactly(dir,
                m -> new AdamW(List.of(ParamGroup.of(m.weight), ParamGroup.of(m.bias).lr(0.02).weightDecay(0.0)),
                        Adam.options().lr(0.01).amsgrad(true)),
                opt -> LinearWarmup.thenCosine(opt, 3, 0.1, 20, 1e-4));
    }

    @Test
    void sgdWithNesterovAndStepLrResumesBitForBit(@TempDir Path dir) throws Exception {
        assertResumesExactly(dir,
                m -> new SGD(m.parameters(), SGD.options().lr(0.05).momentum(0.9).nesterov(true).weightDecay(1e-3)),
                opt -> new StepLR(opt, 3, 0.5));
    }

    @Test
    void theFileIsOneSafetensorsWithMetadataInTheHeader(@TempDir Path dir) throws Exception {
        Run run = new Run(1, m -> new SGD(m.parameters(), SGD.options().lr(0.1).momentum(0.9)), opt -> new StepLR(opt, 2, 0.1));
        run.trainStep();
        Path file = dir.resolve("one.safetensors");
        run.checkpoint().save(file);

        Map<String, Tensor> tensors = Safetensors.load(file);
        assertThat(tensors).containsKeys("model.weight", "model.bias", "optimizer.state.0.momentum_buffer", "state.owm.P");
        Map<String, String> meta = Safetensors.metadata(file);
        assertThat(meta).containsEntry("format", Checkpoint.FORMAT).containsEntry("epoch", "1")
                .containsEntry("rng.shuffle.seed", "5").containsEntry("rng.shuffle.offset", "31")
                .containsEntry("scheduler.last_epoch", "1").containsEntry("extra.note", "resume test")
                .containsEntry("optimizer.param_groups.0.momentum", "0.9");

        Checkpoint c = Checkpoint.load(file);
        assertThat(c.metadata("note")).isEqualTo("resume test");
        assertThat(c.metadata("absent")).isNull();
        Generator g = c.generator("shuffle");
        assertThat(g.seed()).isEqualTo(5);
        assertThat(g.offset()).isEqualTo(31);   // a permutation of 32 draws 31 values
        assertThat(c.modelState().get("weight").toFloatArray()).containsExactly(run.model.weight.data().toFloatArray());
    }

    @Test
    void captureIsASnapshot(@TempDir Path dir) throws Exception {
        Run run = new Run(1, m -> new Adam(m.parameters(), Adam.options().lr(0.1)), opt -> new StepLR(opt, 2, 0.1));
        run.trainStep();
        float[] atCapture = run.parameters();
        Checkpoint c = run.checkpoint();
        run.trainStep();   // training goes on before the save
        Path file = dir.resolve("snap.safetensors");
        c.save(file);
        Run other = new Run(3, m -> new Adam(m.parameters(), Adam.options().lr(0.1)), opt -> new StepLR(opt, 2, 0.1));
        Checkpoint.load(file).restoreModel(other.model);
        assertThat(other.parameters()).containsExactly(atCapture);
    }

    @Test
    void mismatchesFailClearly(@TempDir Path dir) throws Exception {
        Run run = new Run(1, m -> new SGD(m.parameters(), SGD.options().lr(0.1)), opt -> new StepLR(opt, 2, 0.1));
        Path file = dir.resolve("c.safetensors");
        run.checkpoint().save(file);
        Checkpoint c = Checkpoint.load(file);

        TinyLinear wider = new TinyLinear(5, 3, DType.FLOAT32, new Generator(1));
        assertThatThrownBy(() -> c.restoreModel(wider)).hasMessageContaining("mis-shaped").hasMessageContaining("weight");
        assertThatThrownBy(() -> c.restoreGenerator("shuffle", new Generator(6))).hasMessageContaining("seed 5");
        assertThatThrownBy(() -> c.generator("other")).hasMessageContaining("no generator named 'other'");
        assertThatThrownBy(() -> c.state("nothing")).hasMessageContaining("no state named 'nothing'");

        Path plain = dir.resolve("plain.safetensors");
        Safetensors.save(plain, Map.of("w", Tensor.zeros(2)));
        assertThatThrownBy(() -> Checkpoint.load(plain)).hasMessageContaining("not a Tutti checkpoint");
    }
}
