package io.tutti.multimodal.eval;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.MultimodalLoader;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.nn.Linear;
import io.tutti.nn.Losses;
import io.tutti.nn.Module;
import io.tutti.optim.Adam;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Linear probing of a frozen encoder (METHODS.md 0.3, probe 2): the encoder's features of the
 * training and test samples that have the modality are computed once in evaluation mode, a fresh
 * linear classifier is trained on the training features (Adam, lr 0.01, full batch, a fixed number
 * of steps, standardised features), and its test accuracy is returned. The encoder is not changed.
 */
public final class LinearProbe {
    /** Full-batch Adam steps of the probe's training. */
    public static final int STEPS = 300;

    private LinearProbe() {
    }

    /** The probe's accuracy on {@code test} after training on {@code train}; NaN when either has no sample with the modality. */
    public static double accuracy(Encoder encoder, Module owner, String modality, MultimodalData train, MultimodalData test, long seed) {
        boolean wasTraining = owner.isTraining();
        owner.eval();
        try {
            Tensor[] tr = features(encoder, modality, train);
            Tensor[] te = features(encoder, modality, test);
            if (tr == null || te == null) {
                return Double.NaN;
            }
            Tensor mean = tr[0].mean(new int[] {0}, true);
            Tensor std = tr[0].std(new int[] {0}, 0, true).add(1e-6);
            Tensor xTrain = tr[0].sub(mean).div(std);
            Tensor xTest = te[0].sub(mean).div(std);
            Linear head = new Linear(xTrain.shape(1), train.numClasses(), new Generator(seed));
            Adam opt = new Adam(head.parameters(), Adam.options().lr(0.01).weightDecay(1e-4));
            for (int step = 0; step < STEPS; step++) {
                opt.zeroGrad();
                Losses.crossEntropy(head.forward(new Variable(xTrain)), tr[1]).backward();
                opt.step();
            }
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                int[] pred = head.forward(new Variable(xTest)).data().argmax(1, false).toIntArray();
                return Metrics.accuracy(pred, te[1].toIntArray());
            }
        } finally {
            owner.train(wasTraining);
        }
    }

    /** [features, labels] of the samples that have the modality, or null if none has it. */
    @SuppressWarnings("try")
    private static Tensor[] features(Encoder encoder, String modality, MultimodalData data) {
        List<Tensor> feats = new ArrayList<>();
        List<Tensor> labels = new ArrayList<>();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            for (MultimodalBatch b : MultimodalLoader.ordered(data, 256).epoch(0)) {
                Tensor present = b.present(modality);
                int[] rows = rowsWhere(present);
                if (rows.length == 0) {
                    continue;
                }
                Tensor idx = Tensor.of(rows, rows.length);
                feats.add(encoder.forward(new Variable(b.input(modality).indexSelect(0, idx))).data().to(DType.FLOAT32));
                labels.add(b.labels().indexSelect(0, idx));
            }
        }
        if (feats.isEmpty()) {
            return null;
        }
        return new Tensor[] {Tensor.cat(0, feats), Tensor.cat(0, labels)};
    }

    private static int[] rowsWhere(Tensor present) {
        double[] p = present.to(DType.FLOAT64).toDoubleArray();
        int n = 0;
        for (double v : p) {
            if (v > 0) {
                n++;
            }
        }
        int[] rows = new int[n];
        int k = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                rows[k++] = i;
            }
        }
        return rows;
    }
}
