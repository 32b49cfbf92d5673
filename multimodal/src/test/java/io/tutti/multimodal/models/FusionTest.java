package io.tutti.multimodal.models;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FusionTest {
    private final Generator gen = new Generator(1);
    private final List<String> mods = List.of("audio", "visual");
    private final int[] dims = {6, 4};
    private final List<Variable> feats = List.of(new Variable(gen.randn(5, 6)), new Variable(gen.randn(5, 4)));

    @Test
    void shapesAndParameterNames() {
        assertThat(Fusion.create("concat", mods, dims, 3, gen).stateDict().keySet()).containsExactly("fc_out.weight", "fc_out.bias");
        assertThat(Fusion.create("sum", mods, dims, 3, gen).stateDict().keySet())
                .containsExactly("fc_audio.weight", "fc_audio.bias", "fc_visual.weight", "fc_visual.bias");
        Fusion film = Fusion.create("film", mods, dims, 3, gen);
        assertThat(film.stateDict().keySet()).containsExactly("fc.weight", "fc.bias", "fc_out.weight", "fc_out.bias");
        assertThat(film.stateDict().get("fc.weight").shape()).containsExactly(8, 6);   // 6-d audio -> [gamma, beta] of the 4-d visual
        Fusion gated = Fusion.create("gated", mods, dims, 3, gen);
        assertThat(gated.stateDict().keySet()).containsExactly("fc_x.weight", "fc_x.bias", "fc_y.weight", "fc_y.bias", "fc_out.weight",
                "fc_out.bias");
        for (String kind : new String[] {"concat", "sum", "film", "gated"}) {
            assertThat(Fusion.create(kind, mods, dims, 3, gen).forward(feats).shape()).containsExactly(5, 3);
        }
        // three modalities
        List<Variable> three = List.of(feats.get(0), feats.get(1), new Variable(gen.randn(5, 2)));
        for (String kind : new String[] {"concat", "sum", "film", "gated"}) {
            assertThat(Fusion.create(kind, List.of("a", "b", "c"), new int[] {6, 4, 2}, 3, gen).forward(three).shape()).containsExactly(5, 3);
        }
    }

    @Test
    void headSplitsAddUpToTheFusedLogits() {
        for (String kind : new String[] {"concat", "sum"}) {
            Fusion f = Fusion.create(kind, mods, dims, 3, gen);
            // give the biases non-zero values so that the b / M split is exercised
            f.stateDict().forEach((k, v) -> {
                if (k.endsWith("bias")) {
                    v.copyFrom(gen.randn(v.shape()));
                }
            });
            Tensor fused = f.forward(feats).data();
            Tensor sum = f.headSplit(0, feats.get(0)).data().add(f.headSplit(1, feats.get(1)).data());
            if (kind.equals("concat")) {
                assertThat(maxDiff(fused, sum)).isLessThan(1e-5);
            } else {
                assertThat(maxDiff(fused, sum)).isLessThan(1e-5);
            }
        }
        assertThat(Fusion.create("film", mods, dims, 3, gen).supportsHeadSplit()).isFalse();
        assertThatThrownBy(() -> Fusion.create("gated", mods, dims, 3, gen).headSplit(0, feats.get(0)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void concatHeadSplitUsesTheWeightSliceAndHalfTheBias() {
        ConcatFusion f = (ConcatFusion) Fusion.create("concat", mods, dims, 3, gen);
        f.fcOut().bias().data().copyFrom(Tensor.of(new float[] {2, 4, 6}, 3));
        Tensor w = f.fcOut().weight().data();
        Tensor h = feats.get(1).data();
        Tensor expected = h.matmul(w.narrow(1, 6, 4).t()).add(Tensor.of(new float[] {1, 2, 3}, 3));
        assertThat(maxDiff(f.headSplit(1, feats.get(1)).data(), expected)).isLessThan(1e-6);
    }

    @Test
    void badInputsAreNamed() {
        assertThatThrownBy(() -> Fusion.create("bilinear", mods, dims, 3, gen)).hasMessageContaining("concat, sum, film, gated");
        assertThatThrownBy(() -> Fusion.create("concat", mods, dims, 3, gen).forward(List.of(feats.get(1), feats.get(0))))
                .hasMessageContaining("[B, 6]");
    }

    static double maxDiff(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item();
    }
}
