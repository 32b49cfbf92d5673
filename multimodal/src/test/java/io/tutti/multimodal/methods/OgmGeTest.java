package io.tutti.multimodal.methods;

import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.MultimodalLoader;
import io.tutti.multimodal.Phase;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.Tiny;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OgmGeTest {
    @Test
    void coefficientsOfTwoModalitiesFollowThePaper() {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("audio", 2.0);
        s.put("visual", 6.0);
        Map<String, Double> k = OgmGe.coefficients(s, 0.1);
        // rho_v = 6 / 2 = 3 > 1: k_v = 1 - tanh(0.1 * 3); rho_a = 1/3: k_a = 1
        assertThat(k.get("visual")).isCloseTo(1 - Math.tanh(0.3), within(1e-12));
        assertThat(k.get("audio")).isEqualTo(1.0);
    }

    @Test
    void theArgumentIsAlphaTimesRhoNotRhoMinusOne() {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("a", 100.0);
        s.put("v", 101.0);
        double k = OgmGe.coefficients(s, 0.1).get("v");
        assertThat(k).isCloseTo(1 - Math.tanh(0.101), within(1e-12));
        assertThat(k).isCloseTo(0.8993, within(1e-4));   // METHODS.md 3.2: alpha 0.1, rho 1.01 gives k about 0.90
    }

    @Test
    void threeModalitiesModulateEveryDominantOne() {
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("a", 1.0);
        s.put("t", 1.0);
        s.put("v", 4.0);
        Map<String, Double> k = OgmGe.coefficients(s, 0.5);
        // rho_v = 4 / (1 + 1) = 2; rho_a = rho_t = 1 / 5
        assertThat(k.get("v")).isCloseTo(1 - Math.tanh(1.0), within(1e-12));
        assertThat(k.get("a")).isEqualTo(1.0);
        assertThat(k.get("t")).isEqualTo(1.0);
    }

    @Test
    void geNoiseHasTheStdOfTheUnmodulatedGradient() {
        Generator gen = new Generator(5);
        Tensor g = gen.normal(0.3, 2.0, io.tutti.tensor.DType.FLOAT64, 200, 100);
        double std = g.std(null, 1, false).item();
        Tensor out = OgmGe.modulatedGradient(g, 0.25, true, new Generator(9));
        Tensor noise = out.sub(g.mul(0.25));
        assertThat(noise.std(null, 1, false).item()).isCloseTo(std + 1e-8, within(std * 0.02));
        assertThat(noise.mean().item()).isCloseTo(0.0, within(std * 0.02));
        // the noise is exactly what a generator in the same state draws
        Tensor expected = new Generator(9).normal(0, std + 1e-8, g.dtype(), g.shape());
        assertThat(noise.sub(expected).abs().max().item()).isLessThan(1e-9);
        // OGM without GE: only the scaling
        assertThat(OgmGe.modulatedGradient(g, 0.25, false, gen).sub(g.mul(0.25)).abs().max().item()).isEqualTo(0.0);
    }

    @Test
    void modulatesOnlyTheEncodersAndConvOnlyLeavesOtherTensorsAlone() {
        MultimodalData data = Tiny.data();
        MultimodalBatch batch = new MultimodalLoader(data.split(io.tutti.multimodal.data.Split.TRAIN), 32, false, 0, true).iterator(0).next();
        // with a huge alpha and GE off, the dominant modality's encoder gradients are scaled by k, the head's not at all
        for (boolean convOnly : new boolean[] {false, true}) {
            MethodContext ctx = Tiny.context(data, Tiny.config().withOption("alpha", "5").withOption("mode", "ogm")
                    .withOption("conv_only", Boolean.toString(convOnly)).withLr(1.0).withMomentum(0).withWeightDecay(0));
            OgmGe ogm = new OgmGe();
            ogm.init(ctx);
            Map<String, Tensor> before = copy(ogm.model().stateDict());
            ogm.trainStep(batch, new StepInfo(Phase.of("train", 4), 0, 0, 0, 5, 0));
            Map<String, Double> k = ogm.lastCoefficients();
            assertThat(k).containsKeys("a", "b");
            String dominant = k.get("a") < 1 ? "a" : "b";
            assertThat(k.get(dominant)).isLessThan(1.0);
            // reference: the same step of plain joint training from the same initialisation
            MethodContext ctx2 = Tiny.context(data, Tiny.config().withLr(1.0).withMomentum(0).withWeightDecay(0));
            JointTraining joint = new JointTraining();
            joint.init(ctx2);
            joint.trainStep(batch, new StepInfo(Phase.of("train", 4), 0, 0, 0, 5, 0));
            Map<String, Tensor> after = ogm.model().stateDict();
            Map<String, Tensor> plain = joint.model().stateDict();
            for (String key : before.keySet()) {
                if (key.contains("running") || key.contains("num_batches")) {
                    continue;
                }
                Tensor stepOgm = after.get(key).sub(before.get(key));
                Tensor stepPlain = plain.get(key).sub(before.get(key));
                boolean modulated = key.startsWith("encoders." + dominant + ".") && (!convOnly || before.get(key).dim() == 4);
                double expectedScale = modulated ? k.get(dominant) : 1.0;
                assertThat(stepOgm.sub(stepPlain.mul(expectedScale)).abs().max().item()).as(key).isLessThan(1e-6);
            }
        }
    }

    @Test
    void rejectsFusionsWithoutHeadSplit() {
        OgmGe ogm = new OgmGe();
        assertThatThrownBy(() -> ogm.init(Tiny.context(Tiny.data(), Tiny.config().withFusion("film"))))
                .hasMessageContaining("concat or sum");
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }
}
