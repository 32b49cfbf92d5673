package io.tutti.multimodal.methods;

import io.tutti.autograd.Variable;
import io.tutti.nn.Losses;
import io.tutti.nn.Reduction;
import io.tutti.tensor.Tensor;

import java.util.List;

/** Small pieces the methods share: masking by presence, cross entropy over present samples, fusing scores. */
public final class MethodSupport {
    private MethodSupport() {
    }

    /** {@code h [B, d]} with the rows of samples that lack the modality set to zero (zero-fill). */
    public static Variable zeroFillMissing(Variable h, Tensor present) {
        return h.mul(present.to(h.dtype()).reshape(present.shape(0), 1));
    }

    /**
     * Mean cross entropy of {@code logits [B, K]} over the samples where {@code weight [B]} is
     * non-zero (the samples that have a modality); null when there are none.
     */
    public static Variable crossEntropyOver(Variable logits, Tensor labels, Tensor weight) {
        double count = weight.sum().item();
        if (count <= 0) {
            return null;
        }
        Variable perSample = Losses.crossEntropy(logits, labels, null, Losses.IGNORE_INDEX, 0, Reduction.NONE);
        return perSample.mul(weight.to(perSample.dtype())).sum().div(count);
    }

    /**
     * Fuses per-modality logits {@code [B, K]} over the modalities each sample has: {@code logit}
     * rule, the mean of the present modalities' logits (equal weights renormalised); {@code prob}
     * rule, the log of the mean of their softmax probabilities. A sample with no modality gets zeros.
     */
    public static Tensor fuseOverPresent(List<Tensor> logits, List<Tensor> present, boolean probabilityMean) {
        Tensor first = logits.get(0);
        int b = first.shape(0);
        Tensor count = Tensor.zeros(first.dtype(), b, 1);
        Tensor acc = first.zerosLike();
        for (int i = 0; i < logits.size(); i++) {
            Tensor p = present.get(i).to(first.dtype()).reshape(b, 1);
            Tensor z = probabilityMean ? logits.get(i).softmax(1) : logits.get(i);
            acc = acc.add(z.mul(p));
            count = count.add(p);
        }
        Tensor safe = Tensor.where(count.gt(count.zerosLike()), count, count.onesLike());
        Tensor mean = acc.div(safe);
        if (!probabilityMean) {
            return mean;
        }
        Tensor uniform = mean.onesLike().div(mean.shape(1));
        Tensor probs = Tensor.where(count.gt(count.zerosLike()).expand(mean.shape()), mean, uniform);
        return probs.clamp(1e-30, 1.0).log();
    }
}
