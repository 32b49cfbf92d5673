package io.tutti.multimodal.eval;

import io.tutti.multimodal.Method;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.MultimodalLoader;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.data.MultimodalData;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a trained {@link Method} on a split: fused accuracy, macro-F1, mAP (of the softmax of
 * the fused logits), confusion matrix, per-modality probe accuracy, and the missing-modality curves.
 */
public final class Evaluator {
    /** The drop rates of the missing-modality evaluation: 0, 0.1, ..., 0.9. */
    public static final double[] DROP_RATES = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    private Evaluator() {
    }

    /** Fused scores, labels and per-modality predictions over a whole split. */
    public record Outputs(double[][] scores, int[] labels, Map<String, int[]> modalityPredicted, Map<String, boolean[]> present) {
    }

    /** Runs {@link Method#predict} over every sample of {@code data}. */
    public static Outputs predictAll(Method method, MultimodalData data, int batchSize) {
        MultimodalLoader loader = MultimodalLoader.ordered(data, batchSize);
        int n = data.size();
        double[][] scores = new double[n][];
        int[] labels = new int[n];
        Map<String, int[]> modalityPredicted = new LinkedHashMap<>();
        Map<String, boolean[]> present = new LinkedHashMap<>();
        int row = 0;
        for (MultimodalBatch b : loader.epoch(0)) {
            Prediction p = method.predict(b);
            Tensor fused = p.fused().to(DType.FLOAT64).contiguous();
            int k = fused.shape(1);
            double[] flat = fused.toDoubleArray();
            int[] y = b.labels().toIntArray();
            for (int i = 0; i < b.size(); i++) {
                scores[row + i] = java.util.Arrays.copyOfRange(flat, i * k, (i + 1) * k);
                labels[row + i] = y[i];
            }
            for (Map.Entry<String, Tensor> e : p.perModality().entrySet()) {
                int[] pred = e.getValue().argmax(1, false).toIntArray();
                int[] dst = modalityPredicted.computeIfAbsent(e.getKey(), x -> new int[n]);
                System.arraycopy(pred, 0, dst, row, pred.length);
                double[] pr = b.present(e.getKey()).to(DType.FLOAT64).toDoubleArray();
                boolean[] pd = present.computeIfAbsent(e.getKey(), x -> new boolean[n]);
                for (int i = 0; i < pr.length; i++) {
                    pd[row + i] = pr[i] > 0;
                }
            }
            row += b.size();
        }
        return new Outputs(scores, labels, modalityPredicted, present);
    }

    /** The full evaluation of a split (per-modality accuracy from the method's own probe). */
    public static Evaluation evaluate(Method method, MultimodalData data, int batchSize) {
        Outputs o = predictAll(method, data, batchSize);
        int classes = data.numClasses();
        int[] predicted = Metrics.argmax(o.scores());
        double[][] probs = softmax(o.scores());
        Map<String, Double> perModality = new LinkedHashMap<>();
        o.modalityPredicted().forEach((m, pred) -> perModality.put(m, maskedAccuracy(pred, o.labels(), o.present().get(m))));
        return new Evaluation(Metrics.accuracy(predicted, o.labels()), Metrics.macroF1(predicted, o.labels(), classes),
                Metrics.meanAveragePrecision(probs, o.labels(), classes), Metrics.confusionMatrix(predicted, o.labels(), classes),
                perModality, method.probe());
    }

    /** Fused accuracy only (validation during training). */
    public static double accuracy(Method method, MultimodalData data, int batchSize) {
        Outputs o = predictAll(method, data, batchSize);
        return Metrics.accuracy(Metrics.argmax(o.scores()), o.labels());
    }

    static double maskedAccuracy(int[] predicted, int[] labels, boolean[] present) {
        int n = 0;
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (present == null || present[i]) {
                n++;
                if (predicted[i] == labels[i]) {
                    correct++;
                }
            }
        }
        return n == 0 ? Double.NaN : (double) correct / n;
    }

    static double[][] softmax(double[][] scores) {
        double[][] out = new double[scores.length][];
        for (int i = 0; i < scores.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double s : scores[i]) {
                max = Math.max(max, s);
            }
            double sum = 0;
            out[i] = new double[scores[i].length];
            for (int c = 0; c < scores[i].length; c++) {
                out[i][c] = Math.exp(scores[i][c] - max);
                sum += out[i][c];
            }
            for (int c = 0; c < scores[i].length; c++) {
                out[i][c] /= sum;
            }
        }
        return out;
    }

    /**
     * The rows from which modality {@code modality} is dropped at rate {@code r}: the first
     * {@code round(r N)} entries of a permutation drawn from {@code seed}, so the dropped sets are
     * nested as r grows.
     */
    public static Tensor dropMask(int n, double r, long seed) {
        int[] order = new Generator(seed).permutation(n);
        float[] mask = new float[n];
        int k = (int) Math.round(r * n);
        for (int i = 0; i < k; i++) {
            mask[order[i]] = 1;
        }
        return Tensor.of(mask, n);
    }

    /** {@code data} with {@code modality} missing where {@code drop} is 1: presence 0 and input zeroed. */
    public static MultimodalData dropModality(MultimodalData data, String modality, Tensor drop) {
        Tensor keep = drop.neg().add(1.0);
        Tensor x = data.modality(modality);
        int[] shape = new int[x.dim()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = data.size();
        return data.withModality(modality, x.mul(keep.to(x.dtype()).reshape(shape)))
                .withPresence(modality, data.present(modality).mul(keep));
    }

    /**
     * Missing-modality curves: for each modality (when there are at least two), the fused accuracy
     * with that modality dropped from a seeded fraction r of the samples, r in {@link #DROP_RATES}.
     */
    public static Map<String, List<double[]>> missingModality(Method method, MultimodalData data, int batchSize, long seed) {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        List<String> mods = data.modalityNames();
        if (mods.size() < 2) {
            return out;
        }
        for (int mi = 0; mi < mods.size(); mi++) {
            String m = mods.get(mi);
            List<double[]> curve = new ArrayList<>();
            for (double r : DROP_RATES) {
                Tensor drop = dropMask(data.size(), r, seed * 1000003L + mi);
                curve.add(new double[] {r, accuracy(method, dropModality(data, m, drop), batchSize)});
            }
            out.put(m, curve);
        }
        return out;
    }
}
