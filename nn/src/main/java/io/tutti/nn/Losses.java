package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.CrossEntropyFn;
import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;

import java.util.Arrays;

/**
 * Loss functions with {@code torch.nn.functional}'s semantics, composed from {@link Variable} ops
 * so that autograd differentiates them. Class-index targets are int32; class weights, targets of
 * probabilities and masks are constants ({@link Tensor}s) unless a signature takes a Variable.
 */
public final class Losses {
    /** PyTorch's default {@code ignore_index}: targets equal to it contribute nothing. */
    public static final int IGNORE_INDEX = -100;

    private Losses() {
    }

    // ------------------------------------------------------------------ cross entropy and NLL

    /** Mean cross entropy of logits {@code [N, C]} (or {@code [N, C, d...]}) against int32 class indices. */
    public static Variable crossEntropy(Variable input, Tensor target) {
        return crossEntropy(input, target, null, IGNORE_INDEX, 0, Reduction.MEAN);
    }

    /**
     * {@code torch.nn.functional.cross_entropy}. The classes are dimension 1 of {@code input}
     * ({@code [N, C, d...]}, or {@code [C]} for one sample). {@code target} is either int32 class
     * indices {@code [N, d...]} or floating class probabilities shaped like {@code input}.
     *
     * <p>With class indices, sample {@code i} weighs {@code w[y_i]} ({@code weight [C]}, may be null),
     * and label smoothing {@code ε} mixes in the uniform target:
     * {@code loss_i = (1 - ε) w[y_i] (-log p_i[y_i]) + ε / C * Σ_c w[c] (-log p_i[c])}. The mean
     * divides the summed loss by {@code Σ_i w[y_i]} over the targets that are not {@code ignoreIndex},
     * exactly as PyTorch (so a weighted mean is not the plain mean of the weighted losses).
     * With probabilities, {@code loss_i = -Σ_c w[c] t'_c log p_i[c]} with
     * {@code t' = (1 - ε) t + ε / C}, and the mean divides by the number of samples.
     */
    public static Variable crossEntropy(Variable input, Tensor target, Tensor weight, int ignoreIndex, double labelSmoothing,
                                        Reduction reduction) {
        checkReduction("crossEntropy", reduction);
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: label smoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (input.dim() == 1) {
            boolean probabilities = target.dtype().isFloating();
            Variable loss = crossEntropy(input.unsqueeze(0), probabilities ? target.unsqueeze(0) : target.reshape(1), weight,
                    ignoreIndex, labelSmoothing, reduction);
            return reduction == Reduction.NONE ? loss.squeeze(0) : loss;
        }
        int classes = input.shape(1);
        checkWeight("crossEntropy", weight, classes);
        if (input.dim() == 2 && !target.dtype().isFloating() && labelSmoothing == 0 && reduction != Reduction.NONE) {
            // The common case as one node (CrossEntropyFn): no log-softmax backward, no chain of small tensors.
            Indexed t = Indexed.of("crossEntropy", input, target, ignoreIndex, weight);
            Tensor divisor = reduction == Reduction.SUM ? input.data().scalarLike(1) : t.sampleWeight.sum();
            return CrossEntropyFn.crossEntropy(input, t.index, t.sampleWeight, divisor);
        }
        Variable logp = input.logSoftmax(1);
        if (target.dtype().isFloating()) {
            return crossEntropyWithProbabilities(logp, target, weight, labelSmoothing, reduction);
        }
        Indexed t = Indexed.of("crossEntropy", input, target, ignoreIndex, weight);
        Variable loss = nllTerms(logp, t);
        if (labelSmoothing > 0) {
            Variable weighted = weight == null ? logp : logp.mul(perClass(weight, input));
            Variable smooth = weighted.sum(1, false).neg().mul(t.valid);
            loss = loss.mul(1 - labelSmoothing).add(smooth.mul(labelSmoothing / classes));
        }
        return reduceByWeight(loss, t, reduction);
    }

    private static Variable crossEntropyWithProbabilities(Variable logp, Tensor target, Tensor weight, double labelSmoothing,
                                                          Reduction reduction) {
        if (!Arrays.equals(target.shape(), logp.shape())) {
            throw new IllegalArgumentException("crossEntropy: probability target of shape " + Arrays.toString(target.shape())
                    + " must have the input's shape " + Arrays.toString(logp.shape()));
        }
        int classes = logp.shape(1);
        Tensor t = target.to(logp.dtype());
        if (labelSmoothing > 0) {
            t = t.mul(1 - labelSmoothing).add(labelSmoothing / classes);
        }
        Variable terms = logp.mul(t);
        if (weight != null) {
            terms = terms.mul(perClass(weight, logp));
        }
        Variable loss = terms.sum(1, false).neg();
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            default -> loss.sum().div(logp.shape(0));   // PyTorch divides by the batch size, not the weights
        };
    }

    /**
     * {@code torch.nn.functional.nll_loss}: {@code -w[y_i] input[i, y_i]} for log-probabilities
     * {@code input [N, C, d...]} and int32 targets {@code [N, d...]}; the mean divides by the summed
     * weights of the targets that are not {@code ignoreIndex}.
     */
    public static Variable nllLoss(Variable input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        checkReduction("nllLoss", reduction);
        if (input.dim() == 1) {
            Variable loss = nllLoss(input.unsqueeze(0), target.reshape(1), weight, ignoreIndex, reduction);
            return reduction == Reduction.NONE ? loss.squeeze(0) : loss;
        }
        checkWeight("nllLoss", weight, input.shape(1));
        Indexed t = Indexed.of("nllLoss", input, target, ignoreIndex, weight);
        return reduceByWeight(nllTerms(input, t), t, reduction);
    }

    /** Mean NLL with no weights. */
    public static Variable nllLoss(Variable input, Tensor target) {
        return nllLoss(input, target, null, IGNORE_INDEX, Reduction.MEAN);
    }

    /** The checked targets of a classification loss: safe indices, the valid mask and per-sample weights. */
    private record Indexed(Tensor index, Tensor valid, Tensor sampleWeight) {
        static Indexed of(String op, Variable input, Tensor target, int ignoreIndex, Tensor weight) {
            if (target.dtype() != DType.INT32) {
                throw new IllegalArgumentException(op + ": class-index targets must be int32, got " + target.dtype());
            }
            int[] expected = new int[input.dim() - 1];
            expected[0] = input.shape(0);
            for (int i = 2; i < input.dim(); i++) {
                expected[i - 1] = input.shape(i);
            }
            if (!Arrays.equals(target.shape(), expected)) {
                throw new IllegalArgumentException(op + ": target of shape " + Arrays.toString(target.shape()) + " must be "
                        + Arrays.toString(expected) + " for input of shape " + Arrays.toString(input.shape()));
            }
            int classes = input.shape(1);
            Tensor validInt = target.ne(target.scalarLike(ignoreIndex));
            Tensor index = Tensor.where(validInt, target, target.scalarLike(0));
            if (index.numel() > 0) {
                int lo = (int) index.min().item();
                int hi = (int) index.max().item();
                if (lo < 0 || hi >= classes) {
                    throw new IndexOutOfBoundsException(op + ": target " + (lo < 0 ? lo : hi) + " is out of range for " + classes
                            + " classes");
                }
            }
            Tensor valid = validInt.to(input.dtype());
            Tensor sampleWeight = valid;
            if (weight != null) {
                Tensor w = weight.to(input.dtype()).indexSelect(0, index.reshape(index.numel())).reshape(index.shape());
                sampleWeight = w.mul(valid);
            }
            return new Indexed(index, valid, sampleWeight);
        }
    }

    /** {@code -w[y_i] logp[i, y_i]}, zero where the target is ignored. */
    private static Variable nllTerms(Variable logp, Indexed t) {
        Variable picked = logp.gather(1, t.index.unsqueeze(1)).squeeze(1);
        return picked.mul(t.sampleWeight).neg();
    }

    private static Variable reduceByWeight(Variable loss, Indexed t, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            default -> loss.sum().div(new Variable(t.sampleWeight.sum()));
        };
    }

    /** {@code weight [C]} shaped to broadcast along dimension 1 of {@code like}. */
    private static Tensor perClass(Tensor weight, Variable like) {
        int[] shape = new int[like.dim()];
        Arrays.fill(shape, 1);
        shape[1] = weight.shape(0);
        return weight.to(like.dtype()).reshape(shape);
    }

    private static void checkWeight(String op, Tensor weight, int classes) {
        if (weight != null && (weight.dim() != 1 || weight.shape(0) != classes || !weight.dtype().isFloating())) {
            throw new IllegalArgumentException(op + ": class weight must be a floating [" + classes + "], got "
                    + weight.dtype() + " " + Arrays.toString(weight.shape()));
        }
    }

    // ------------------------------------------------------------------ binary cross entropy

    /** Mean binary cross entropy of logits against targets in [0, 1] of the same shape. */
    public static Variable binaryCrossEntropyWithLogits(Variable input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * {@code torch.nn.functional.binary_cross_entropy_with_logits}:
     * {@code loss = w * [(1 - t) x + (1 + (posWeight - 1) t) softplus(-x)]}, computed stably
     * ({@code softplus(-x) = log(1 + exp(-x))} as a log-sum-exp). {@code weight} broadcasts against
     * the input; {@code posWeight} broadcasts along the last (class) dimension. Either may be null.
     */
    public static Variable binaryCrossEntropyWithLogits(Variable input, Tensor target, Tensor weight, Tensor posWeight,
                                                        Reduction reduction) {
        checkReduction("binaryCrossEntropyWithLogits", reduction);
        sameShape("binaryCrossEntropyWithLogits", input, target.shape());
        Tensor t = target.to(input.dtype());
        Variable softplusNeg = Variable.stack(-1, new Variable(input.data().zerosLike()), input.neg()).logsumexp(new int[] {-1}, false);
        Variable loss;
        if (posWeight == null) {
            loss = input.mul(t.neg().add(1)).add(softplusNeg);
        } else {
            Tensor scale = posWeight.to(input.dtype()).sub(1).mul(t).add(1);
            loss = input.mul(t.neg().add(1)).add(softplusNeg.mul(scale));
        }
        if (weight != null) {
            loss = loss.mul(weight.to(input.dtype()));
        }
        return reduce("binaryCrossEntropyWithLogits", loss, reduction);
    }

    // ------------------------------------------------------------------ regression

    /** Mean squared error. */
    public static Variable mseLoss(Variable input, Variable target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /** {@code torch.nn.functional.mse_loss}: {@code (input - target)^2}; the shapes must be equal. */
    public static Variable mseLoss(Variable input, Variable target, Reduction reduction) {
        checkReduction("mseLoss", reduction);
        sameShape("mseLoss", input, target.shape());
        return reduce("mseLoss", input.sub(target).square(), reduction);
    }

    /** Mean absolute error. */
    public static Variable l1Loss(Variable input, Variable target) {
        return l1Loss(input, target, Reduction.MEAN);
    }

    /** {@code torch.nn.functional.l1_loss}: {@code |input - target|}; the shapes must be equal. */
    public static Variable l1Loss(Variable input, Variable target, Reduction reduction) {
        checkReduction("l1Loss", reduction);
        sameShape("l1Loss", input, target.shape());
        return reduce("l1Loss", input.sub(target).abs(), reduction);
    }

    // ------------------------------------------------------------------ divergence

    /**
     * {@code torch.nn.functional.kl_div} with {@code input} log-probabilities and {@code target}
     * probabilities (or log-probabilities when {@code logTarget}): pointwise
     * {@code target * (log(target) - input)}, taken as 0 where the target is 0. The mathematically
     * correct KL divergence is {@link Reduction#BATCH_MEAN} (the sum divided by the batch size);
     * {@code MEAN} divides by the number of elements, as PyTorch does.
     */
    public static Variable klDiv(Variable input, Variable target, Reduction reduction, boolean logTarget) {
        sameShape("klDiv", input, target.shape());
        Variable loss;
        if (logTarget) {
            loss = target.exp().mul(target.sub(input));
        } else {
            Tensor positive = target.data().gt(target.data().scalarLike(0));
            Variable safe = Variable.where(positive, target, new Variable(target.data().onesLike()));
            Variable xlogx = Variable.where(positive, target.mul(safe.log()), new Variable(target.data().zerosLike()));
            loss = xlogx.sub(target.mul(input));
        }
        if (reduction == Reduction.BATCH_MEAN) {
            return input.dim() == 0 ? loss.sum() : loss.sum().div(input.shape(0));
        }
        return reduce("klDiv", loss, reduction);
    }

    /** KL divergence with probability targets and {@code batchmean} reduction. */
    public static Variable klDiv(Variable input, Variable target) {
        return klDiv(input, target, Reduction.BATCH_MEAN, false);
    }

    // ------------------------------------------------------------------ shared

    private static Variable reduce(String op, Variable loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.mean();
            case BATCH_MEAN -> throw new IllegalArgumentException(op + ": reduction BATCH_MEAN is only for klDiv");
        };
    }

    static void checkReduction(String op, Reduction reduction) {
        if (reduction == null || reduction == Reduction.BATCH_MEAN) {
            throw new IllegalArgumentException(op + ": reduction must be NONE, MEAN or SUM, got " + reduction);
        }
    }

    private static void sameShape(String op, Variable input, int[] targetShape) {
        if (!Arrays.equals(input.shape(), targetShape)) {
            throw new IllegalArgumentException(op + ": target of shape " + Arrays.toString(targetShape)
                    + " must have the input's shape " + Arrays.toString(input.shape()));
        }
    }
}
