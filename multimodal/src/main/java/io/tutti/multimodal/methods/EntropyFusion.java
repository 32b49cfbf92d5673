package io.tutti.multimodal.methods;

import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * MLA's test-time fusion of per-modality logits (METHODS.md §4.4): fused logits Σ_m β_m z_m over
 * the modalities a sample has, with β renormalised over them, so a sample with one modality is
 * predicted from that modality alone and a sample with none gets a zero row.
 *
 * <ul>
 *   <li>{@link Mode#PER_SAMPLE} (the paper, the default): e_m = −Σ_k p_k log p_k with
 *       p = softmax(z_m) of that sample; β_m = exp(max_j e_j − e_m) / Σ_i exp(max_j e_j − e_i),
 *       a softmax over −e: the more confident modality weighs more.</li>
 *   <li>{@link Mode#PER_BATCH} (the released code): softmax over the batch axis and the entropy
 *       summed over the whole matrix, so one e_m per modality and batch (over the samples that have
 *       m), shared by every sample; results then depend on the batch.</li>
 *   <li>{@link Mode#FIXED}: constant weights (the code's 0.55/0.45, or 0.35/0.25/0.40).</li>
 * </ul>
 */
public final class EntropyFusion {
    /** How the per-modality weights are found. */
    public enum Mode { PER_SAMPLE, PER_BATCH, FIXED }

    private final Mode mode;
    private final double[] fixedWeights;

    private EntropyFusion(Mode mode, double[] fixedWeights) {
        this.mode = mode;
        this.fixedWeights = fixedWeights;
    }

    public static EntropyFusion perSample() {
        return new EntropyFusion(Mode.PER_SAMPLE, null);
    }

    public static EntropyFusion perBatch() {
        return new EntropyFusion(Mode.PER_BATCH, null);
    }

    /** Constant weights, one per modality in order (renormalised over the present ones). */
    public static EntropyFusion fixed(double... weights) {
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("EntropyFusion: fixed weights must be finite and non-negative, got "
                        + Arrays.toString(weights));
            }
        }
        return new EntropyFusion(Mode.FIXED, weights.clone());
    }

    /** The released code's fixed weights for M = 2 (0.55, 0.45) and M = 3 (0.35, 0.25, 0.40); uniform otherwise. */
    public static double[] releasedFixedWeights(int modalities) {
        if (modalities == 2) {
            return new double[] {0.55, 0.45};
        }
        if (modalities == 3) {
            return new double[] {0.35, 0.25, 0.40};
        }
        double[] w = new double[modalities];
        Arrays.fill(w, 1.0 / modalities);
        return w;
    }

    public Mode mode() {
        return mode;
    }

    /** Per-sample entropy of softmax(z), {@code [B]} float64, for logits {@code [B, K]}. */
    public static Tensor entropy(Tensor logits) {
        Tensor logp = logits.to(DType.FLOAT64).logSoftmax(1);
        return logp.exp().mul(logp).sum(1, false).neg();
    }

    /** The released code's batch entropy: softmax over the batch axis (dim 0), −Σ p log p over the whole matrix. */
    public static double batchEntropy(Tensor logits) {
        Tensor logp = logits.to(DType.FLOAT64).logSoftmax(0);
        return -logp.exp().mul(logp).sum().item();
    }

    /**
     * The weights β, {@code [B, M]} float64, for per-modality logits (each {@code [B, K]}) and
     * presence masks (each {@code [B]}, non-zero = present), in the same modality order.
     * Rows of samples with no modality are zero.
     */
    public Tensor weights(List<Tensor> logits, List<Tensor> present) {
        if (logits.isEmpty() || logits.size() != present.size()) {
            throw new IllegalArgumentException("EntropyFusion: need one presence mask per modality's logits, got "
                    + logits.size() + " logits and " + present.size() + " masks");
        }
        int modalities = logits.size();
        if (mode == Mode.FIXED && fixedWeights.length != modalities) {
            throw new IllegalArgumentException("EntropyFusion: " + fixedWeights.length + " fixed weights for " + modalities
                    + " modalities");
        }
        int batch = logits.get(0).shape(0);
        double[][] score = new double[modalities][];   // log of the unnormalised weight
        boolean[][] has = new boolean[modalities][batch];
        for (int m = 0; m < modalities; m++) {
            double[] mask = present.get(m).to(DType.FLOAT64).toDoubleArray();
            for (int i = 0; i < batch; i++) {
                has[m][i] = mask[i] != 0;
            }
            score[m] = switch (mode) {
                case PER_SAMPLE -> negated(entropy(logits.get(m)).toDoubleArray());
                case PER_BATCH -> constant(batch, -batchEntropy(presentRows(logits.get(m), has[m])));
                case FIXED -> constant(batch, Math.log(fixedWeights[m]));
            };
        }
        double[] out = new double[batch * modalities];
        for (int i = 0; i < batch; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int m = 0; m < modalities; m++) {
                if (has[m][i]) {
                    max = Math.max(max, score[m][i]);
                }
            }
            if (max == Double.NEGATIVE_INFINITY) {
                continue;   // no modality (or only zero fixed weights): a zero row
            }
            double total = 0;
            for (int m = 0; m < modalities; m++) {
                if (has[m][i]) {
                    out[i * modalities + m] = Math.exp(score[m][i] - max);
                    total += out[i * modalities + m];
                }
            }
            for (int m = 0; m < modalities; m++) {
                out[i * modalities + m] /= total;
            }
        }
        return Tensor.of(out, batch, modalities);
    }

    /** Σ_m β_m z_m, {@code [B, K]} in the logits' dtype. */
    public Tensor fuse(List<Tensor> logits, List<Tensor> present) {
        Tensor beta = weights(logits, present);
        Tensor fused = null;
        for (int m = 0; m < logits.size(); m++) {
            Tensor z = logits.get(m).to(DType.FLOAT64);
            Tensor term = z.mul(beta.select(1, m).unsqueeze(1));
            fused = fused == null ? term : fused.add(term);
        }
        return fused.to(logits.get(0).dtype());
    }

    private static Tensor presentRows(Tensor logits, boolean[] has) {
        int n = 0;
        for (boolean h : has) {
            n += h ? 1 : 0;
        }
        int[] rows = new int[n];
        for (int i = 0, j = 0; i < has.length; i++) {
            if (has[i]) {
                rows[j++] = i;
            }
        }
        return n == 0 ? logits : logits.indexSelect(0, Tensor.of(rows, n));
    }

    private static double[] negated(double[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = -v[i];
        }
        return v;
    }

    private static double[] constant(int n, double value) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return v;
    }
}
