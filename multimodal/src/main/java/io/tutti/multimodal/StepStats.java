package io.tutti.multimodal;

import io.tutti.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one training step reports to the trainer: the loss that was minimised, optionally
 * per-modality losses (the trainer names the modality when one is NaN or infinite), and
 * optionally the logits the step computed anyway (fused and per modality, {@code [B, K]}, detached),
 * from which the trainer shows running training accuracies without a second forward pass.
 */
public final class StepStats {
    private final double loss;
    private final LinkedHashMap<String, Double> modalityLosses = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> modalityLogits = new LinkedHashMap<>();
    private Tensor fusedLogits;

    private StepStats(double loss) {
        this.loss = loss;
    }

    /** Stats with the step's loss. */
    public static StepStats of(double loss) {
        return new StepStats(loss);
    }

    /** Adds a modality's own loss (a uni-modal head's CE, a per-modality step's loss). */
    public StepStats modalityLoss(String modality, double value) {
        modalityLosses.put(modality, value);
        return this;
    }

    /** Adds the fused logits of the step (detached data). */
    public StepStats fusedLogits(Tensor logits) {
        this.fusedLogits = logits;
        return this;
    }

    /** Adds a modality's logits of the step (detached data). */
    public StepStats modalityLogits(String modality, Tensor logits) {
        modalityLogits.put(modality, logits);
        return this;
    }

    public double loss() {
        return loss;
    }

    public Map<String, Double> modalityLosses() {
        return Collections.unmodifiableMap(modalityLosses);
    }

    /** The fused logits, or null when the step did not report them. */
    public Tensor fusedLogits() {
        return fusedLogits;
    }

    public Map<String, Tensor> modalityLogits() {
        return Collections.unmodifiableMap(modalityLogits);
    }
}
