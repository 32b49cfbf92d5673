package io.tutti.multimodal.methods;

import io.tutti.autograd.Variable;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.MultimodalLoader;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.Tiny;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.multimodal.data.Split;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Methods predict each sample from the modalities it has. */
class PresenceTest {
    private final MultimodalData data = Tiny.data();
    private final MultimodalBatch full = MultimodalLoader.ordered(data.split(Split.TEST), 8).iterator(0).next();
    private final Tensor drop = Tensor.of(new float[] {1, 0, 1, 0, 0, 0, 0, 1}, 8);   // rows 0, 2, 7 lose 'b'
    private final MultimodalBatch partial = full.dropping("b", drop);

    @Test
    void droppingZeroesTheInputAndThePresence() {
        assertThat(partial.present("b").toDoubleArray()).containsExactly(0, 1, 0, 1, 1, 1, 1, 0);
        assertThat(partial.input("b").select(0, 2).abs().sum().item()).isEqualTo(0.0);
        assertThat(partial.input("b").select(0, 1).sub(full.input("b").select(0, 1)).abs().max().item()).isEqualTo(0.0);
        assertThat(partial.allPresent("a")).isTrue();
        assertThat(partial.allPresent("b")).isFalse();
    }

    @Test
    void ensembleUsesOnlyThePresentModalities() {
        for (String rule : new String[] {"logit", "prob"}) {
            Ensemble e = new Ensemble();
            e.init(Tiny.context(data, Tiny.config().withOption("rule", rule)));
            Prediction p = e.predict(partial);
            Tensor za = p.perModality().get("a");
            for (int row : new int[] {0, 2, 7}) {
                Tensor expected = rule.equals("logit") ? za.select(0, row) : za.select(0, row).softmax(0).log();
                assertThat(p.fused().select(0, row).sub(expected).abs().max().item()).as(rule + " row " + row).isLessThan(1e-5);
            }
            // rows with both: the mean of the two
            Tensor zb = p.perModality().get("b");
            Tensor both = rule.equals("logit") ? za.select(0, 1).add(zb.select(0, 1)).div(2)
                    : za.select(0, 1).softmax(0).add(zb.select(0, 1).softmax(0)).div(2).log();
            assertThat(p.fused().select(0, 1).sub(both).abs().max().item()).isLessThan(1e-5);
        }
    }

    @Test
    void jointZeroFillsTheMissingFeatures() {
        for (String fusion : new String[] {"concat", "sum", "film", "gated"}) {
            JointTraining j = new JointTraining();
            j.init(Tiny.context(data, Tiny.config().withFusion(fusion)));
            Prediction p = j.predict(partial);
            JointModel m = (JointModel) j.model();
            m.eval();
            Variable ha = m.encoders().get("a").forward(partial.variable("a"));
            Variable hb = m.encoders().get("b").forward(partial.variable("b")).mul(partial.present("b").reshape(8, 1));
            Tensor expected = m.fusion().forward(List.of(ha, hb)).data();
            assertThat(p.fused().sub(expected).abs().max().item()).as(fusion).isLessThan(1e-5);
            // and the zero-filled rows differ from what the encoder of a zero input would give
            Tensor withEncoderOfZeros = m.fusion().forward(List.of(ha, m.encoders().get("b").forward(partial.variable("b")))).data();
            assertThat(p.fused().select(0, 0).sub(withEncoderOfZeros.select(0, 0)).abs().max().item()).as(fusion).isGreaterThan(0.0);
        }
    }
}
