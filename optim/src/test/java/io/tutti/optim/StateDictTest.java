package io.tutti.optim;

import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateDictTest {

    @Test
    void numbersReadBackBitExactlyThroughAFile(@TempDir Path dir) throws Exception {
        double[] tricky = {0.1, 1.0 / 3, 1e-300, Double.MIN_VALUE, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 0.1 + 0.2};
        StateDict sd = new StateDict().put("t", Tensor.of(new double[] {1, 2}, 2)).putDoubles("tricky", tricky)
                .putLong("big", Long.MAX_VALUE).putBoolean("flag", true);
        for (int i = 0; i < tricky.length; i++) {
            sd.putDouble("d" + i, tricky[i]);
        }
        Path file = dir.resolve("sd.safetensors");
        sd.save(file);
        StateDict back = StateDict.load(file);
        for (int i = 0; i < tricky.length; i++) {
            assertThat(Double.doubleToRawLongBits(back.getDouble("d" + i))).isEqualTo(Double.doubleToRawLongBits(tricky[i]));
        }
        assertThat(back.getDoubles("tricky")).containsExactly(tricky);
        assertThat(back.getLong("big")).isEqualTo(Long.MAX_VALUE);
        assertThat(back.getBoolean("flag")).isTrue();
        assertThat(back.tensor("t").toDoubleArray()).containsExactly(1.0, 2.0);
    }

    @Test
    void prefixedAndSectionNest() {
        StateDict inner = new StateDict().put("w", Tensor.zeros(2)).putLong("n", 3);
        StateDict outer = new StateDict().putAll(inner.prefixed("a.")).putAll(inner.prefixed("ab."));
        assertThat(outer.tensors().keySet()).containsExactly("a.w", "ab.w");
        StateDict a = outer.section("a.");
        assertThat(a.tensors().keySet()).containsExactly("w");
        assertThat(a.getLong("n")).isEqualTo(3);
        assertThat(outer.section("c.").isEmpty()).isTrue();
    }

    @Test
    void gettersNameTheBadKey() {
        StateDict sd = new StateDict().putString("x", "abc");
        assertThatThrownBy(() -> sd.getDouble("x")).hasMessageContaining("'x' is not a number");
        assertThatThrownBy(() -> sd.getLong("x")).hasMessageContaining("'x' is not an integer");
        assertThatThrownBy(() -> sd.getBoolean("x")).hasMessageContaining("'x' is not a boolean");
        assertThatThrownBy(() -> sd.getString("y")).hasMessageContaining("no entry 'y'");
        assertThatThrownBy(() -> sd.tensor("y")).hasMessageContaining("no tensor 'y'");
        assertThatThrownBy(() -> sd.putLong("big", 1L << 40).getInt("big")).hasMessageContaining("out of int range");
    }

    @Test
    void paramGroupOptionsAreTyped() {
        ParamGroup g = ParamGroup.of(Params.f64(1)).lr(0.1).set("flag", true).betas(0.9, 0.99).set("count", 3);
        assertThat(g.getDouble("count")).isEqualTo(3.0);
        assertThat(g.getBoolean("flag")).isTrue();
        assertThat(g.getDoubles(ParamGroup.BETAS)).containsExactly(0.9, 0.99);
        assertThatThrownBy(() -> g.getDouble("flag")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> g.getDouble("missing")).hasMessageContaining("no option 'missing'");
        assertThatThrownBy(() -> g.set("params", 1)).hasMessageContaining("invalid option name");
        assertThatThrownBy(() -> g.set("name", "text")).hasMessageContaining("number, boolean or double[]");
        assertThatThrownBy(() -> g.lr(-0.1)).hasMessageContaining("non-negative");
    }
}
