package io.tutti.multimodal.methods;

import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.Phase;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.TrainConfig;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.nn.StateDicts;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MmLoraTest {
    private static void assertSame(Prediction actual, Prediction expected) {
        assertThat(actual.fused().toFloatArray()).containsExactly(expected.fused().toFloatArray());
        expected.perModality().forEach((m, z) -> assertThat(actual.perModality().get(m).toFloatArray()).as(m)
                .containsExactly(z.toFloatArray()));
    }

    @Test
    void phaseTwoStartsExactlyAtThePhaseOneEnsembleAndTrainsOnlyLoraAndHeads() {
        MultimodalData data = MethodHarness.data(2);
        TrainConfig cfg = MethodHarness.config(3, Map.of("rank", "2", "alpha", "4"));
        MmLora method = (MmLora) MethodHarness.init(new MmLora(), data, cfg);
        List<Phase> phases = method.phases(3);
        assertThat(phases).extracting(Phase::name).containsExactly("unimodal", "lora");
        assertThat(phases).extracting(Phase::epochs).containsExactly(2, 1);

        // phase 1: the ensemble, trained briefly
        MethodHarness.train(method, data, cfg.withEpochs(2), 2);   // runs "unimodal" (2 epochs) and an empty "lora"
        MmLora fresh = (MmLora) MethodHarness.init(new MmLora(), data, cfg);
        MethodHarness.train(fresh, data, cfg.withEpochs(3).withOptions(Map.of("rank", "2", "alpha", "4", "stage1-epochs", "3")), 2);
        MultimodalBatch val = MethodHarness.validation(data);

        MmLora m = (MmLora) MethodHarness.init(new MmLora(), data, cfg);
        Phase first = m.phases(3).get(0);
        m.startPhase(first);
        MultimodalBatch batch = MethodHarness.firstTrainBatch(data, 20);
        m.trainStep(batch, new StepInfo(first, 0, 0, 0, 3, 0));
        m.trainStep(batch, new StepInfo(first, 0, 0, 1, 3, 1));
        m.endPhase(first);
        Prediction ensemble = m.predict(val);
        // the ensemble fuses by the mean of the logits over present modalities
        Tensor mean = ensemble.perModality().get("a").add(ensemble.perModality().get("v")).div(2.0);
        assertThat(ensemble.fused().sub(mean).abs().max().item()).isLessThan(1e-6);
        Map<String, Tensor> phaseOne = MethodHarness.snapshot(m.model().stateDict());

        Phase second = m.phases(3).get(1);
        m.startPhase(second);
        assertThat(m.injections()).containsOnlyKeys("a", "v");
        assertSame(m.predict(val), ensemble);                      // B = 0: exactly the ensemble

        long lora = m.injections().values().stream().mapToLong(i -> i.parameters().stream().mapToLong(p -> p.numel()).sum()).sum();
        long heads = 2L * (8 * 3 + 3);
        assertThat(m.model().parameterCount(true)).isEqualTo(lora + heads);
        m.trainStep(batch, new StepInfo(second, 2, 0, 0, 3, 2));
        Map<String, Tensor> after = m.model().stateDict();
        phaseOne.forEach((k, v) -> {
            double moved = after.get(k).sub(v).abs().max().item();
            if (k.startsWith("heads.")) {
                assertThat(moved).as(k).isGreaterThan(0);
            } else {
                assertThat(moved).as(k).isZero();              // frozen encoders
            }
        });
        assertThat(after.keySet()).contains("encoders.a.fc1.lora.A", "encoders.v.fc2.lora.B");
        assertThat(after.get("encoders.a.fc1.lora.B").abs().max().item()).isGreaterThan(0);

        // a missing modality: the fused logits are the present modality's
        Prediction p = m.predict(MethodHarness.dropRows(val, "a", 0, 1));
        for (int k = 0; k < 3; k++) {
            assertThat(p.fused().get(0, k)).isCloseTo(p.perModality().get("v").get(0, k), within(1e-6));
        }
        assertThat(fresh.currentPhase()).isEqualTo("lora");
    }

    @Test
    void phaseOneLoadsFromSafetensorsAndLoraGoesOnlyWhereAsked(@TempDir Path dir) throws Exception {
        MultimodalData data = MethodHarness.data(3);
        Path file = dir.resolve("stage1.safetensors");
        TrainConfig cfg = MethodHarness.config(2, Map.of("save-stage1", file.toString(), "stage1-epochs", "1"));
        MmLora trained = (MmLora) MethodHarness.init(new MmLora(), data, cfg);
        Phase first = trained.phases(2).get(0);
        trained.startPhase(first);
        trained.trainStep(MethodHarness.firstTrainBatch(data, 20), new StepInfo(first, 0, 0, 0, 3, 0));
        trained.endPhase(first);
        assertThat(StateDicts.load(new Ensemble.EnsembleModel(MethodHarness.context(data, cfg)), file)).containsEntry("stage", "1");
        Prediction expected = trained.predict(MethodHarness.validation(data));

        MmLora loaded = (MmLora) MethodHarness.init(new MmLora(), data, MethodHarness.config(2,
                Map.of("stage1", file.toString(), "modalities", "v", "targets", "fc2", "train-heads", "false")));
        List<Phase> phases = loaded.phases(2);
        assertThat(phases).extracting(Phase::epochs).containsExactly(0, 2);
        assertSame(loaded.predict(MethodHarness.validation(data)), expected);
        loaded.startPhase(phases.get(0));
        loaded.endPhase(phases.get(0));
        loaded.startPhase(phases.get(1));
        assertThat(loaded.injections()).containsOnlyKeys("v");
        assertThat(loaded.injections().get("v").adapters()).containsOnlyKeys("fc2");
        assertThat(loaded.model().parameterCount(true)).isEqualTo(8L * (16 + 8));   // rank 8 on fc2 [8 x 16], no heads
        assertSame(loaded.predict(MethodHarness.validation(data)), expected);

        assertThatThrownBy(() -> MethodHarness.init(new MmLora(), data, MethodHarness.config(2, Map.of("modalities", "x"))))
                .hasMessageContaining("unknown modality 'x'");
    }
}
