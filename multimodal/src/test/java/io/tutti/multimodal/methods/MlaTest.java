package io.tutti.multimodal.methods;

import io.tutti.multimodal.Method;
import io.tutti.multimodal.Methods;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.Phase;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.StepStats;
import io.tutti.multimodal.TrainConfig;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.optim.StateDict;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MlaTest {
    private static final Phase PHASE = Phase.of("train", 1);

    private static StepInfo info(int batch) {
        return new StepInfo(PHASE, 0, 0, batch, 3, batch);
    }

    @Test
    void trainsWithTwoAndThreeModalitiesAndPredictsFromWhatIsPresent() {
        for (int modalities : new int[] {2, 3}) {
            MultimodalData data = MethodHarness.data(modalities);
            TrainConfig cfg = MethodHarness.config(2, Map.of());
            Mla mla = (Mla) MethodHarness.init(Methods.create("mla"), data, cfg);
            MethodHarness.train(mla, data, cfg, 2);
            // one P update per uni-modal step: 2 epochs x 2 batches x M modalities
            assertThat(mla.projection().projector().updates()).isEqualTo(4L * modalities);

            MultimodalBatch val = MethodHarness.validation(data);
            Prediction full = mla.predict(val);
            assertThat(full.perModality()).hasSize(modalities);
            assertThat(full.fused().shape()).containsExactly(val.size(), 3);
            // sample 0 without "v" (and "t"): fused = audio's logits alone
            MultimodalBatch missing = MethodHarness.dropRows(val, "v", 0);
            if (modalities == 3) {
                missing = MethodHarness.dropRows(missing, "t", 0);
            }
            Prediction p = mla.predict(missing);
            for (int k = 0; k < 3; k++) {
                assertThat(p.fused().get(0, k)).isCloseTo(p.perModality().get("a").get(0, k), within(1e-6));
            }
            assertThat(p.fused().narrow(0, 1, val.size() - 1).sub(full.fused().narrow(0, 1, val.size() - 1)).abs().max().item())
                    .isZero();
            Tensor beta = mla.fusionWeights(missing);
            assertThat(beta.get(0, 0)).isEqualTo(1.0);
        }
    }

    @Test
    void projectionChangesOnlyTheHeadWeightUpdateAndNotTheFirstStep() {
        MultimodalData data = MethodHarness.data(2);
        MultimodalBatch batch = MethodHarness.firstTrainBatch(data, 20);
        Mla with = (Mla) MethodHarness.init(new Mla(), data, MethodHarness.config(1, Map.of()));
        Mla without = (Mla) MethodHarness.init(new Mla(), data, MethodHarness.config(1, Map.of("projection", "none")));
        assertThat(without.projection()).isNull();
        with.trainStep(batch, info(0));
        without.trainStep(batch, info(0));
        // the audio step was the run's first (not projected); the video step was projected
        Map<String, Tensor> a = with.model().stateDict();
        Map<String, Tensor> b = without.model().stateDict();
        for (String k : a.keySet()) {
            double diff = a.get(k).sub(b.get(k)).abs().max().item();
            if (k.equals("head.weight")) {
                assertThat(diff).as(k).isGreaterThan(0);
            } else if (k.startsWith("encoders.a.") || k.equals("head.bias")) {
                assertThat(diff).as(k).isZero();
            }
        }
    }

    @Test
    void idleEncodersMoveOnlyWithTheReleasedCodesZeroGradients() {
        MultimodalData data = MethodHarness.data(2);
        // every sample lacks "v": only the audio step runs
        MultimodalBatch batch = MethodHarness.firstTrainBatch(data, 20);
        int[] all = new int[20];
        for (int i = 0; i < 20; i++) {
            all[i] = i;
        }
        MultimodalBatch audioOnly = MethodHarness.dropRows(batch, "v", all);
        for (boolean idle : new boolean[] {false, true}) {
            Mla mla = (Mla) MethodHarness.init(new Mla(), data, MethodHarness.config(1, Map.of("idle-updates", Boolean.toString(idle))));
            Map<String, Tensor> before = MethodHarness.snapshot(mla.model().stateDict());
            StepStats s = mla.trainStep(audioOnly, info(0));
            assertThat(s.modalityLosses()).containsOnlyKeys("a");
            double moved = mla.model().stateDict().get("encoders.v.fc1.weight").sub(before.get("encoders.v.fc1.weight")).abs().max().item();
            if (idle) {
                assertThat(moved).isGreaterThan(0);   // weight decay acts on a zero gradient
            } else {
                assertThat(moved).isZero();
            }
        }
    }

    @Test
    void perModalityOptimizersAndSwitchesTrainAndResume() {
        MultimodalData data = MethodHarness.data(2);
        TrainConfig cfg = MethodHarness.config(1, Map.of("optimizers", "per-modality", "source", "current", "combine", "add",
                "normalize", "false", "fusion", "batch-entropy"));
        Mla mla = (Mla) MethodHarness.init(new Mla(), data, cfg);
        MultimodalBatch batch = MethodHarness.firstTrainBatch(data, 20);
        mla.trainStep(batch, info(0));
        mla.trainStep(batch, info(1));
        StateDict state = MethodHarness.copy(mla.trainingState());
        Map<String, Tensor> weights = MethodHarness.snapshot(mla.model().stateDict());
        mla.trainStep(batch, info(2));
        Tensor expected = mla.model().stateDict().get("head.weight").copy();

        Mla resumed = (Mla) MethodHarness.init(new Mla(), data, cfg);
        resumed.model().loadStateDict(weights);
        resumed.loadTrainingState(state);
        resumed.trainStep(batch, info(2));
        assertThat(resumed.model().stateDict().get("head.weight").toFloatArray()).containsExactly(expected.toFloatArray());
        assertThat(resumed.projection().projector().updates()).isEqualTo(5);   // 3 batches x 2 modalities, none on the run's first step
    }

    @Test
    void badOptionsAreNamed() {
        MultimodalData data = MethodHarness.data(2);
        assertThatThrownBy(() -> MethodHarness.init(new Mla(), data, MethodHarness.config(1, Map.of("order", "a,x"))))
                .hasMessageContaining("order=a,x");
        assertThatThrownBy(() -> MethodHarness.init(new Mla(), data, MethodHarness.config(1, Map.of("fusion", "fixed", "weights", "1"))))
                .hasMessageContaining("expected 2");
        Method m = MethodHarness.init(new Mla(), data, MethodHarness.config(1, Map.of("fusion", "fixed")));
        assertThat(m.predict(MethodHarness.validation(data)).fused().shape()[1]).isEqualTo(3);
        assertThat(Methods.DEFAULT_COMPARISON).containsSubsequence(List.of("mmlora", "mla", "mie"));
    }
}
