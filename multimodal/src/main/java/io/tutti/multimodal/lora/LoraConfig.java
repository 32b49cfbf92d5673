package io.tutti.multimodal.lora;

import java.util.List;

/**
 * What LoRA adds and where: the rank r, the scale numerator α (the update is scaled by α / r), the
 * dropout on the low-rank path, how A is initialised, and the dotted-name patterns of the layers
 * to adapt (see {@link ModulePattern}).
 *
 * <p>Defaults: r = 8, α = 16 (scale 2; METHODS.md §5.2 recommends this as a starting point since
 * the paper's values are unverified), no dropout, Kaiming-uniform A as in PyTorch's LoRA, every
 * linear and convolution layer ({@code **}).
 */
public record LoraConfig(int rank, double alpha, double dropout, LoraInit init, List<String> targets) {

    public LoraConfig {
        if (rank <= 0) {
            throw new IllegalArgumentException("LoraConfig: rank must be positive, got " + rank);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("LoraConfig: alpha must be positive and finite, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoraConfig: dropout must be in [0, 1), got " + dropout);
        }
        if (init == null) {
            throw new IllegalArgumentException("LoraConfig: init must not be null");
        }
        if (targets == null || targets.isEmpty()) {
            throw new IllegalArgumentException("LoraConfig: at least one target pattern is needed");
        }
        targets = List.copyOf(targets);
    }

    /** r = 8, α = 16, no dropout, Kaiming-uniform, every linear and convolution layer. */
    public static LoraConfig defaults() {
        return new LoraConfig(8, 16, 0, LoraInit.KAIMING_UNIFORM, List.of("**"));
    }

    /** The factor α / r applied to B A. */
    public double scale() {
        return alpha / rank;
    }

    public LoraConfig withRank(int r) {
        return new LoraConfig(r, alpha, dropout, init, targets);
    }

    public LoraConfig withAlpha(double a) {
        return new LoraConfig(rank, a, dropout, init, targets);
    }

    public LoraConfig withDropout(double p) {
        return new LoraConfig(rank, alpha, p, init, targets);
    }

    public LoraConfig withInit(LoraInit i) {
        return new LoraConfig(rank, alpha, dropout, i, targets);
    }

    public LoraConfig withTargets(List<String> patterns) {
        return new LoraConfig(rank, alpha, dropout, init, patterns);
    }
}
