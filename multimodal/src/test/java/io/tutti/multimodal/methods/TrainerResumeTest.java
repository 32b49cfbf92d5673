package io.tutti.multimodal.methods;

import io.tutti.multimodal.Methods;
import io.tutti.multimodal.TrainConfig;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.multimodal.models.Encoders;
import io.tutti.multimodal.train.Trainer;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each method through the shared trainer: an interrupted and resumed run ends bit for bit where an
 * uninterrupted one does, with the interruption inside a later phase (MMLoRA's LoRA phase, MIE's
 * second stage with its flat projector).
 */
class TrainerResumeTest {
    @ParameterizedTest
    @CsvSource({"mla, 3, 1, ''", "mmlora, 3, 2, stage1-epochs=1", "mie, 4, 3, stages=1;1"})
    void resumedRunsEqualUninterruptedOnes(String method, int epochs, int stopAfter, String opts, @TempDir Path dir) {
        MultimodalData data = MethodHarness.data(2);
        TrainConfig cfg = MethodHarness.config(epochs, parse(opts));
        Trainer.Result whole = Trainer.train(Methods.create(method), data, cfg, Encoders.byShape(), new Trainer.Options());
        assertThat(whole.completed()).isTrue();

        Path out = dir.resolve("run");
        Trainer.Result first = Trainer.train(Methods.create(method), data, cfg, Encoders.byShape(),
                new Trainer.Options().outDir(out).stopAfterEpochs(stopAfter));
        assertThat(first.completed()).isFalse();
        Trainer.Result resumed = Trainer.train(Methods.create(method), data, cfg, Encoders.byShape(),
                new Trainer.Options().outDir(out).resume(out.resolve(Trainer.LAST)));
        assertThat(resumed.completed()).isTrue();

        Map<String, Tensor> expected = whole.method().model().stateDict();
        Map<String, Tensor> actual = resumed.method().model().stateDict();
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((k, v) -> assertThat(actual.get(k).toDoubleArray()).as(k).containsExactly(v.toDoubleArray()));
    }

    private static Map<String, String> parse(String opts) {
        if (opts.isBlank()) {
            return Map.of();
        }
        String[] kv = opts.split("=");
        return Map.of(kv[0], kv[1].replace(';', ','));
    }
}
