package io.tutti.nn;

import io.tutti.tensor.Generator;
import io.tutti.tensor.Safetensors;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Saving and loading state dicts through safetensors files. */
class StateDictsTest {
    @Test
    void aSavedModelLoadsIntoAFreshOneWithItsMetadata(@TempDir Path dir) throws IOException {
        Sequential a = PyTorchFixturesTest.cnn();
        a.forward(new Generator(1).randn(2, 3, 8, 8));   // moves the running statistics and the batch counter
        Path file = dir.resolve("cnn.safetensors");
        StateDicts.save(a, file, Map.of("epoch", "3"));
        Sequential b = PyTorchFixturesTest.cnn();
        assertThat(StateDicts.load(b, file)).containsEntry("epoch", "3");
        a.stateDict().forEach((k, t) -> assertThat(b.stateDict().get(k).toDoubleArray()).as(k).containsExactly(t.toDoubleArray()));
        assertThat(((BatchNorm) b.get(1)).numBatchesTracked()).isEqualTo(1);
    }

    @Test
    void strictLoadingRefusesAnotherArchitectureAndNonStrictTakesWhatFits(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mlp.safetensors");
        StateDicts.save(Mlp.of(new Generator(1), ReLU::new, 6, 16, 3), file);
        assertThatThrownBy(() -> StateDicts.load(Mlp.of(new Generator(1), ReLU::new, 6, 16, 16, 3), file))
                .hasMessageContaining("missing keys [4.weight, 4.bias]").hasMessageContaining("mis-shaped [2.weight");

        Map<String, Tensor> partial = new LinkedHashMap<>(Safetensors.load(file));
        partial.remove("2.weight");
        partial.remove("2.bias");
        Safetensors.save(file, partial);
        Sequential target = Mlp.of(new Generator(2), ReLU::new, 6, 16, 3);
        StateDicts.load(target, file, false);
        assertThat(target.stateDict().get("0.weight").toDoubleArray()).containsExactly(partial.get("0.weight").toDoubleArray());
    }
}
