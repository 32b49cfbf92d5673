package io.tutti.multimodal.methods;

import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

/**
 * Mixup (Zhang et al., 2018) on one modality's inputs, as MIE applies it to the modality being
 * trained (METHODS.md §6.4): x̃ = λ x + (1 − λ) x[perm] with λ ~ Beta(α, α) and a random
 * permutation of the batch; the loss is λ CE(o, y) + (1 − λ) CE(o, y[perm]).
 *
 * @param input   the mixed inputs x̃
 * @param labels  y
 * @param shuffled y[perm]
 * @param lambda  λ
 */
public record Mixup(Tensor input, Tensor labels, Tensor shuffled, double lambda) {

    /** Mixes a batch; α = 0 turns mixup off (λ = 1, nothing permuted). */
    public static Mixup of(Tensor x, Tensor labels, double alpha, Generator gen) {
        if (!(alpha >= 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("mixup: alpha must be finite and non-negative, got " + alpha);
        }
        if (alpha == 0) {
            return new Mixup(x, labels, labels, 1.0);
        }
        double lambda = new BetaDistribution(alpha, alpha).sample(gen);
        Tensor perm = Tensor.of(gen.permutation(x.shape(0)), x.shape(0));
        Tensor mixed = x.mul(lambda).add(x.indexSelect(0, perm).mul(1 - lambda));
        return new Mixup(mixed.to(x.dtype()), labels, labels.indexSelect(0, perm).to(DType.INT32), lambda);
    }
}
