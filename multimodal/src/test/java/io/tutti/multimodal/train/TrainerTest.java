package io.tutti.multimodal.train;

import io.tutti.autograd.Variable;
import io.tutti.multimodal.Method;
import io.tutti.multimodal.Methods;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.StepStats;
import io.tutti.multimodal.Tiny;
import io.tutti.multimodal.TrainConfig;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.multimodal.methods.JointTraining;
import io.tutti.multimodal.models.Encoders;
import io.tutti.nn.Losses;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {
    private final MultimodalData data = Tiny.data();

    private Trainer.Result train(String method, TrainConfig config, Trainer.Options options) {
        return Trainer.train(Methods.create(method), data, config, Encoders.byShape(), options);
    }

    @Test
    void sameSeedSameResultsForEveryMethod() {
        for (String method : List.of("joint", "ensemble", "ogm-ge")) {
            TrainConfig c = Tiny.config().withEpochs(2);
            Trainer.Result a = train(method, c, new Trainer.Options());
            Trainer.Result b = train(method, c, new Trainer.Options());
            assertThat(a.history()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                assertThat(b.history().get(i).trainLoss()).as(method).isEqualTo(a.history().get(i).trainLoss());
                assertThat(b.history().get(i).valAccuracy()).as(method).isEqualTo(a.history().get(i).valAccuracy());
            }
            assertIdentical(a.method().model().stateDict(), b.method().model().stateDict(), method);
        }
    }

    @Test
    void resumeContinuesBitForBit(@TempDir Path dir) {
        for (String method : List.of("joint", "ensemble", "ogm-ge")) {
            TrainConfig c = Tiny.config().withEpochs(4);
            if (method.equals("ogm-ge")) {
                c = c.withOption("modulation_ends", "3");   // GE noise in every epoch: its generator position must resume too
            }
            Trainer.Result straight = train(method, c, new Trainer.Options());
            Path out = dir.resolve(method);
            Trainer.Result first = train(method, c, new Trainer.Options().outDir(out).stopAfterEpochs(2));
            assertThat(first.completed()).isFalse();
            Trainer.Result resumed = train(method, c, new Trainer.Options().outDir(out).resume(out.resolve(Trainer.LAST)));
            assertThat(resumed.completed()).isTrue();
            assertThat(resumed.history()).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(resumed.history().get(i).trainLoss()).as(method + " epoch " + i).isEqualTo(straight.history().get(i).trainLoss());
                assertThat(resumed.history().get(i).valAccuracy()).isEqualTo(straight.history().get(i).valAccuracy());
            }
            assertIdentical(straight.method().model().stateDict(), resumed.method().model().stateDict(), method);
        }
    }

    @Test
    void selectsOnValidationAndRestoresTheBestState() {
        Trainer.Result r = train("joint", Tiny.config().withEpochs(4), new Trainer.Options());
        double best = r.history().stream().mapToDouble(EpochRecord::valAccuracy).max().orElseThrow();
        double now = io.tutti.multimodal.eval.Evaluator.accuracy(r.method(), data.split(io.tutti.multimodal.data.Split.VALIDATION), 64);
        assertThat(now).isEqualTo(best);
    }

    @Test
    void unknownMethodOptionsAreRejected() {
        assertThatThrownBy(() -> train("joint", Tiny.config().withOption("alpah", "1"), new Trainer.Options()))
                .hasMessageContaining("alpah");
        assertThatThrownBy(() -> train("ogm-ge", Tiny.config().withOption("alpah", "1"), new Trainer.Options()))
                .hasMessageContaining("alpah").hasMessageContaining("alpha");
    }

    /** Joint training whose loss goes through log(x - c) with c growing: NaN from the third step on. */
    static final class Diverging extends JointTraining {
        int steps;

        @Override
        public String name() {
            return "diverging";
        }

        @Override
        public StepStats trainStep(MultimodalBatch batch, StepInfo info) {
            model.train();
            optimizer.zeroGrad();
            List<Variable> f = model.features(batch);
            Variable z = model.fusion().forward(f);
            double shift = info.globalStep() >= 2 ? 1e9 : 0;
            Variable loss = Losses.crossEntropy(z, batch.labels()).add(f.get(1).sum().sub(shift).log().mul(0));
            loss.backward();
            optimizer.step();
            return StepStats.of(loss.item()).modalityLoss("b", loss.item());
        }
    }

    @Test
    void nanLossStopsNamingStepModalityAndOp() {
        Method m = new Diverging();
        assertThatThrownBy(() -> Trainer.train(m, data, Tiny.config(), Encoders.byShape(), new Trainer.Options()))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("step 2")
                .hasMessageContaining("modality b")
                .hasMessageContaining("op 'log'");
    }

    static void assertIdentical(Map<String, Tensor> a, Map<String, Tensor> b, String what) {
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
        a.forEach((k, v) -> assertThat(b.get(k).sub(v).abs().max().item()).as(what + " " + k).isEqualTo(0.0));
    }
}
