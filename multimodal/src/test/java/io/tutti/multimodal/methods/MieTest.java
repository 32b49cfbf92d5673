package io.tutti.multimodal.methods;

import io.tutti.multimodal.Methods;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.Phase;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.TrainConfig;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MieTest {
    @Test
    void stagesAreTheReleasedRatiosScaledToTheBudget() {
        assertThat(Mie.scaledStages(new double[] {1, 2, 1, 2}, 30)).containsExactly(5, 10, 5, 10);
        assertThat(Mie.scaledStages(new double[] {25, 50, 25, 50}, 7)).containsExactly(1, 3, 1, 2);
        assertThat(Mie.scaledStages(new double[] {1, 2}, 1)).containsExactly(0, 1);
        MultimodalData data = MethodHarness.data(3);
        Mie mie = (Mie) MethodHarness.init(new Mie(), data, MethodHarness.config(6, Map.of("stages", "1,1,1,1")));
        assertThat(mie.phases(6)).extracting(Phase::name).containsExactly("stage1-a", "stage2-v", "stage3-t", "stage4-a");
        Mie explicit = (Mie) MethodHarness.init(new Mie(), data, MethodHarness.config(6, Map.of("stage-epochs", "2,3")));
        assertThat(explicit.phases(6)).extracting(Phase::epochs).containsExactly(2, 3);
        assertThatThrownBy(() -> MethodHarness.init(new Mie(), data, MethodHarness.config(6, Map.of("stages", "1,x"))))
                .hasMessageContaining("stages=1,x");
    }

    @Test
    void stagesTrainOneModalityEachWithTheFlatProjectionFromTheOther() {
        MultimodalData data = MethodHarness.data(2);
        TrainConfig cfg = MethodHarness.config(2, Map.of("stages", "1,1", "hidden", "16,8"));
        Mie mie = (Mie) MethodHarness.init(Methods.create("mie"), data, cfg);
        List<Phase> phases = mie.phases(2);
        MultimodalBatch batch = MethodHarness.firstTrainBatch(data, 20);

        mie.startPhase(phases.get(0));
        assertThat(mie.activeModality()).isEqualTo("a");
        assertThat(mie.projection()).isNull();
        Map<String, Tensor> before = MethodHarness.snapshot(mie.model().stateDict());
        mie.trainStep(batch, new StepInfo(phases.get(0), 0, 0, 0, 3, 0));
        Map<String, Tensor> after = MethodHarness.snapshot(mie.model().stateDict());
        before.forEach((k, v) -> {
            double moved = after.get(k).sub(v).abs().max().item();
            assertThat(moved).as(k).matches(d -> k.contains(".a.") ? d > 0 : d == 0);
        });
        mie.endPhase(phases.get(0));

        mie.startPhase(phases.get(1));
        assertThat(mie.activeModality()).isEqualTo("v");
        // twins: the classifiers' three layers and the encoders' fc2 [8 x 16]
        assertThat(mie.projection().size()).isEqualTo(4);
        mie.trainStep(batch, new StepInfo(phases.get(1), 1, 0, 0, 3, 1));
        Map<String, Tensor> last = mie.model().stateDict();
        after.forEach((k, v) -> assertThat(last.get(k).sub(v).abs().max().item()).as(k)
                .matches(d -> k.contains(".v.") ? d > 0 : d == 0));

        // evaluation: log of the mean probability over present modalities
        MultimodalBatch val = MethodHarness.validation(data);
        Prediction p = mie.predict(MethodHarness.dropRows(val, "v", 0));
        Tensor pa = p.perModality().get("a").softmax(1);
        Tensor pv = p.perModality().get("v").softmax(1);
        for (int k = 0; k < 3; k++) {
            assertThat(Math.exp(p.fused().get(0, k))).isCloseTo(pa.get(0, k), within(1e-5));
            assertThat(Math.exp(p.fused().get(1, k))).isCloseTo((pa.get(1, k) + pv.get(1, k)) / 2, within(1e-5));
        }
    }

    @Test
    void aStageScaledToZeroEpochsIsNotTheSourceOfTheNextProjection() {
        MultimodalData data = MethodHarness.data(2);
        Mie mie = (Mie) MethodHarness.init(new Mie(), data, MethodHarness.config(2, Map.of("stage-epochs", "1,0,1", "hidden", "16,8")));
        List<Phase> phases = mie.phases(2);
        mie.startPhase(phases.get(0));
        mie.startPhase(phases.get(1));                 // "v" for 0 epochs
        assertThat(mie.projection()).isNull();
        mie.startPhase(phases.get(2));                 // "a" again, after a: nothing to project from
        assertThat(mie.activeModality()).isEqualTo("a");
        assertThat(mie.projection()).isNull();
    }

    /** With a vanishing learning rate, what a step leaves behind in the weights is SAM's own doing. */
    private static Map<String, Tensor> oneStepChange(Map<String, String> options) {
        MultimodalData data = MethodHarness.data(2);
        TrainConfig cfg = MethodHarness.config(1, options).withLr(1e-30).withWeightDecay(0);
        Mie mie = (Mie) MethodHarness.init(new Mie(), data, cfg);
        Phase phase = mie.phases(1).get(0);
        mie.startPhase(phase);
        Map<String, Tensor> before = MethodHarness.snapshot(mie.model().stateDict());
        mie.trainStep(MethodHarness.firstTrainBatch(data, 20), new StepInfo(phase, 0, 0, 0, 3, 0));
        Map<String, Tensor> change = new java.util.LinkedHashMap<>();
        mie.model().stateDict().forEach((k, v) -> change.put(k, v.sub(before.get(k))));
        return change;
    }

    @Test
    void properSamRestoresTheWeightsExactlyAndTheReleasedModeLeavesThePerturbation() {
        Map<String, Tensor> proper = oneStepChange(Map.of("stages", "1", "rho", "0.05"));
        // at most lr·g (≈ 1e-30) on weights that start at zero; any rounding of w + e − e would be ≫ 1e-20
        proper.forEach((k, d) -> assertThat(d.abs().max().item()).as(k).isLessThan(1e-20));

        Map<String, Tensor> released = oneStepChange(Map.of("stages", "1", "released", "true", "rho", "0.001"));
        released.forEach((k, d) -> {
            double norm = d.norm().item();
            if (k.contains(".a.")) {
                assertThat(norm).as(k).isCloseTo(0.001, within(2e-5));   // ρ g / ‖g‖ per tensor, never undone
            } else {
                assertThat(norm).as(k).isZero();    // the idle modality
            }
        });
    }

    @Test
    void trainsThreeModalitiesThroughAllStages() {
        MultimodalData data = MethodHarness.data(3);
        TrainConfig cfg = MethodHarness.config(3, Map.of("stages", "1,1,1", "sam", "off", "mixup", "0"));
        Mie mie = (Mie) MethodHarness.init(new Mie(), data, cfg);
        MethodHarness.train(mie, data, cfg, 2);
        assertThat(mie.activeModality()).isEqualTo("t");
        assertThat(mie.projection().size()).isGreaterThan(0);
        Prediction p = mie.predict(MethodHarness.validation(data));
        assertThat(p.perModality()).containsOnlyKeys("a", "v", "t");
    }
}
