package io.tutti.multimodal.models;

import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.tensor.Generator;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodersTest {
    private final Generator gen = new Generator(2);

    @Test
    void chosenByShapeAndReturnFeaturesOfTheRequestedWidth() {
        Encoders f = Encoders.byShape();
        Encoder mlp = f.create("v", new int[] {10}, 12, gen);
        assertThat(mlp).isInstanceOf(MlpEncoder.class);
        assertThat(mlp.forward(new Variable(gen.randn(3, 10))).shape()).containsExactly(3, 12);
        Encoder cnn = f.create("img", new int[] {1, 12, 12}, 12, gen);
        assertThat(cnn).isInstanceOf(CnnEncoder.class);
        assertThat(cnn.forward(new Variable(gen.randn(2, 1, 12, 12))).shape()).containsExactly(2, 12);
        Encoder seq = f.create("s", new int[] {5, 3}, 12, gen);
        assertThat(seq).isInstanceOf(SequenceEncoder.class);
        assertThat(seq.forward(new Variable(gen.randn(2, 5, 3))).shape()).containsExactly(2, 12);
    }

    @Test
    void userChoicesAndResNet() {
        Encoders f = new Encoders(Map.of("img", "resnet18:2", "spec", "cnn:4"));
        Encoder r = f.create("img", new int[] {1, 16, 16}, 16, gen);
        assertThat(r.stateDict()).containsKey("backbone.layer4.1.bn2.weight");
        assertThat(r.forward(new Variable(gen.randn(2, 1, 16, 16))).shape()).containsExactly(2, 16);
        Encoder c = f.create("spec", new int[] {8, 10}, 5, gen);   // [H, W] treated as one channel
        assertThat(c.forward(new Variable(gen.randn(2, 8, 10))).shape()).containsExactly(2, 5);
    }

    @Test
    void badChoicesFailClearly() {
        assertThatThrownBy(() -> new Encoders(Map.of("a", "vit"))).hasMessageContaining("mlp, cnn, resnet18, transformer");
        assertThatThrownBy(() -> new Encoders(Map.of("a", "mlp")).create("a", new int[] {1, 4, 4}, 4, gen)).hasMessageContaining("1-d");
        assertThatThrownBy(() -> new Encoders(Map.of("x", "mlp")).checkModalities(java.util.List.of("a", "b")))
                .hasMessageContaining("unknown modality 'x'");
    }
}
