package io.tutti.multimodal;

import io.tutti.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link Method} predicts for a batch: fused logits {@code [B, K]} and, for the modalities
 * that have a probe (METHODS.md 0.3), per-modality logits {@code [B, K]}.
 *
 * <p>The fused scores are logits in the sense that argmax gives the class and softmax gives the
 * probabilities: a method that fuses by averaging probabilities returns the log of the mean
 * probability. Rows of a sample that has no modality at all are all zeros (uniform).
 */
public final class Prediction {
    private final Tensor fused;
    private final Map<String, Tensor> perModality;

    public Prediction(Tensor fused, Map<String, Tensor> perModality) {
        if (fused == null || fused.dim() != 2) {
            throw new IllegalArgumentException("Prediction: fused logits must be [B, K], got "
                    + (fused == null ? "null" : Arrays.toString(fused.shape())));
        }
        LinkedHashMap<String, Tensor> copy = new LinkedHashMap<>();
        if (perModality != null) {
            perModality.forEach((m, z) -> {
                if (!Arrays.equals(z.shape(), fused.shape())) {
                    throw new IllegalArgumentException("Prediction: logits of '" + m + "' have shape " + Arrays.toString(z.shape())
                            + ", the fused ones " + Arrays.toString(fused.shape()));
                }
                copy.put(m, z);
            });
        }
        this.fused = fused;
        this.perModality = Collections.unmodifiableMap(copy);
    }

    /** Fused logits {@code [B, K]}. */
    public Tensor fused() {
        return fused;
    }

    /** Per-modality logits {@code [B, K]} by modality, for the modalities with a probe (may be empty). */
    public Map<String, Tensor> perModality() {
        return perModality;
    }

    /** The predicted class of every sample, {@code [B]} int32. */
    public Tensor predicted() {
        return fused.argmax(1, false);
    }
}
