package io.tutti.multimodal.methods;

import io.tutti.tensor.Generator;

/**
 * Beta(a, b) samples from a {@link Generator}, for mixup's λ ~ Beta(α, α). A Beta variate is
 * X / (X + Y) with X ~ Gamma(a) and Y ~ Gamma(b); Gamma variates come from Marsaglia and Tsang's
 * squeeze method (2000), with the boost Gamma(a) = Gamma(a + 1)·U^(1/a) for a < 1.
 */
public final class BetaDistribution {
    private final double a;
    private final double b;

    public BetaDistribution(double a, double b) {
        if (!(a > 0) || !(b > 0) || Double.isInfinite(a) || Double.isInfinite(b)) {
            throw new IllegalArgumentException("BetaDistribution: parameters must be positive and finite, got " + a + ", " + b);
        }
        this.a = a;
        this.b = b;
    }

    /** One sample in [0, 1]. */
    public double sample(Generator gen) {
        double x = gamma(a, gen);
        double y = gamma(b, gen);
        return x / (x + y);
    }

    /** One Gamma(shape, 1) sample. */
    public static double gamma(double shape, Generator gen) {
        if (!(shape > 0) || Double.isInfinite(shape)) {
            throw new IllegalArgumentException("gamma: shape must be positive and finite, got " + shape);
        }
        if (shape < 1) {
            return gamma(shape + 1, gen) * Math.pow(openUniform(gen), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = standardNormal(gen);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = openUniform(gen);
            // the cheap squeeze accepts most draws; the log test is the exact acceptance condition
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    /** A uniform double in (0, 1], safe to take the log of. */
    private static double openUniform(Generator gen) {
        return 1 - gen.nextDouble();
    }

    /** A standard normal by Box-Muller (one of the pair; simplicity over speed, λ is drawn once per batch). */
    private static double standardNormal(Generator gen) {
        return Math.sqrt(-2 * Math.log(openUniform(gen))) * Math.cos(2 * Math.PI * gen.nextDouble());
    }
}
