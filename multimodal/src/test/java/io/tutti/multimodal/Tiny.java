package io.tutti.multimodal;

import io.tutti.multimodal.data.MultimodalData;
import io.tutti.multimodal.data.SyntheticData;
import io.tutti.multimodal.models.Encoders;
import io.tutti.tensor.Generator;

import java.util.List;

/** Tiny synthetic data and contexts for fast tests. */
public final class Tiny {
    private Tiny() {
    }

    /** 4 classes, a strong modality 'a' and a weak 'b', 8-d each; 160 / 40 / 40 samples. */
    public static MultimodalData data() {
        return SyntheticData.generate(new SyntheticData.Spec(4, List.of(new SyntheticData.ModalitySpec("a", 8, 0.9),
                new SyntheticData.ModalitySpec("b", 8, 0.5)), 160, 40, 40, 5.0), 3);
    }

    public static TrainConfig config() {
        return TrainConfig.defaults().withEpochs(4).withBatchSize(32).withFeatureDim(8).withLr(0.05);
    }

    public static MethodContext context(MultimodalData data, TrainConfig config) {
        return MethodContext.forData(data, data, config, Encoders.byShape(), new Generator(config.seed()), 5);
    }
}
