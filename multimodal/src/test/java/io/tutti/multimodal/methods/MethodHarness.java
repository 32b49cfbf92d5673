package io.tutti.multimodal.methods;

import io.tutti.multimodal.Method;
import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.MultimodalLoader;
import io.tutti.multimodal.Phase;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.TrainConfig;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.multimodal.data.Split;
import io.tutti.multimodal.data.SyntheticData;
import io.tutti.multimodal.models.Encoders;
import io.tutti.optim.StateDict;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tiny synthetic data and a minimal driver that runs a method's phases the way the trainer does
 * (phases, steps, end of epoch, validation callbacks), capped at a few steps, for fast tests.
 */
final class MethodHarness {
    private MethodHarness() {
    }

    /** 3 classes, a strong and a weak modality (and a third when asked), 8-d vectors, 60 training samples. */
    static MultimodalData data(int modalities) {
        List<SyntheticData.ModalitySpec> specs = new ArrayList<>(List.of(new SyntheticData.ModalitySpec("a", 8, 0.9),
                new SyntheticData.ModalitySpec("v", 6, 0.5)));
        if (modalities > 2) {
            specs.add(new SyntheticData.ModalitySpec("t", 5, 0.7));
        }
        return SyntheticData.generate(new SyntheticData.Spec(3, specs, 60, 20, 20, 4.0), 11);
    }

    static TrainConfig config(int epochs, Map<String, String> options) {
        return TrainConfig.defaults().withEpochs(epochs).withBatchSize(20).withFeatureDim(8).withOptions(options);
    }

    static MethodContext context(MultimodalData data, TrainConfig config) {
        MultimodalData train = data.split(Split.TRAIN);
        int batches = new MultimodalLoader(train, config.batchSize(), true, config.seed(), true).numBatches();
        return MethodContext.forData(data, train, config, Encoders.byShape(), new Generator(config.seed()), batches);
    }

    /** Builds the method on the tiny data. */
    static Method init(Method method, MultimodalData data, TrainConfig config) {
        method.init(context(data, config));
        return method;
    }

    /** Runs every phase for its epochs, at most {@code stepsPerEpoch} steps each, with validation callbacks. */
    static void train(Method method, MultimodalData data, TrainConfig config, int stepsPerEpoch) {
        MultimodalData train = data.split(Split.TRAIN);
        MultimodalLoader loader = new MultimodalLoader(train, config.batchSize(), true, config.seed(), true);
        int epoch = 0;
        long step = 0;
        for (Phase phase : method.phases(config.epochs())) {
            method.startPhase(phase);
            for (int e = 0; e < phase.epochs(); e++, epoch++) {
                Iterator<MultimodalBatch> it = loader.iterator(epoch);
                for (int b = 0; b < stepsPerEpoch && it.hasNext(); b++) {
                    method.trainStep(it.next(), new StepInfo(phase, epoch, e, b, loader.numBatches(), step++));
                }
                method.endEpoch(epoch);
                Prediction p = method.predict(validation(data));
                method.afterValidation(epoch, accuracy(p.fused(), validation(data).labels()), perModality(p, validation(data)));
            }
            method.endPhase(phase);
        }
    }

    static MultimodalBatch validation(MultimodalData data) {
        return MultimodalLoader.ordered(data.split(Split.VALIDATION), 1000).iterator(0).next();
    }

    static MultimodalBatch firstTrainBatch(MultimodalData data, int size) {
        return MultimodalLoader.ordered(data.split(Split.TRAIN), size).iterator(0).next();
    }

    static double accuracy(Tensor logits, Tensor labels) {
        int[] p = logits.argmax(1, false).toIntArray();
        int[] y = labels.toIntArray();
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            ok += p[i] == y[i] ? 1 : 0;
        }
        return (double) ok / y.length;
    }

    static Map<String, Double> perModality(Prediction p, MultimodalBatch batch) {
        Map<String, Double> out = new LinkedHashMap<>();
        p.perModality().forEach((m, z) -> out.put(m, accuracy(z, batch.labels())));
        return out;
    }

    /** A copy of every tensor of a state dict. */
    static Map<String, Tensor> snapshot(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.copy()));
        return out;
    }

    /** A deep copy (optimizer state dicts hold the live buffers). */
    static StateDict copy(StateDict sd) {
        return new StateDict(snapshot(sd.tensors()), sd.metadata());
    }

    /** A mask dropping modality {@code m} for the samples at the given rows. */
    static MultimodalBatch dropRows(MultimodalBatch batch, String m, int... rows) {
        float[] drop = new float[batch.size()];
        for (int r : rows) {
            drop[r] = 1;
        }
        return batch.dropping(m, Tensor.of(drop, batch.size()));
    }
}
