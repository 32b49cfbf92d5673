package io.tutti.multimodal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The training settings shared by every method: optimizer and its hyperparameters, LR schedule,
 * batch size, epochs, seed, the fusion of fusion-based methods, the encoder feature width, encoder
 * choices per modality, and the free-form method options. Immutable; change with the {@code with}
 * methods.
 *
 * <p>Defaults (chosen for the small data sets of this project, documented in the README): SGD with
 * momentum 0.9, lr 0.01, weight decay 1e-4; {@code step} schedule (lr x 0.1 after 70% of the
 * epochs, the seed papers' StepLR(70, 0.1) of 100 epochs, scaled); batch 64; 30 epochs; seed 0;
 * concat fusion; 64-d features. SGD rather than Adam because OGM-GE scales gradients, which Adam's
 * per-parameter normalisation would largely undo.
 */
public final class TrainConfig {
    /** Optimizer names accepted by {@link MethodContext#newOptimizer}. */
    public static final String[] OPTIMIZERS = {"sgd", "adam", "adamw"};
    /** Fusion names accepted by fusion-based methods. */
    public static final String[] FUSIONS = {"concat", "sum", "film", "gated"};

    private final String optimizer;
    private final double lr;
    private final double momentum;
    private final double weightDecay;
    private final String scheduler;
    private final int batchSize;
    private final int epochs;
    private final long seed;
    private final String fusion;
    private final int featureDim;
    private final Map<String, String> encoders;
    private final Map<String, String> options;

    private TrainConfig(String optimizer, double lr, double momentum, double weightDecay, String scheduler, int batchSize,
                        int epochs, long seed, String fusion, int featureDim, Map<String, String> encoders, Map<String, String> options) {
        this.optimizer = optimizer.toLowerCase(Locale.ROOT);
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.scheduler = scheduler;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.seed = seed;
        this.fusion = fusion.toLowerCase(Locale.ROOT);
        this.featureDim = featureDim;
        this.encoders = Collections.unmodifiableMap(new LinkedHashMap<>(encoders));
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        validate();
    }

    /** The defaults described in the class comment. */
    public static TrainConfig defaults() {
        return new TrainConfig("sgd", 0.01, 0.9, 1e-4, "step", 64, 30, 0, "concat", 64, Map.of(), Map.of());
    }

    private void validate() {
        if (!oneOf(optimizer, OPTIMIZERS)) {
            throw new IllegalArgumentException("unknown optimizer '" + optimizer + "'; choose one of " + String.join(", ", OPTIMIZERS));
        }
        if (!oneOf(fusion, FUSIONS)) {
            throw new IllegalArgumentException("unknown fusion '" + fusion + "'; choose one of " + String.join(", ", FUSIONS));
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("weight decay must be non-negative, got " + weightDecay);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be non-negative, got " + epochs);
        }
        if (featureDim < 1) {
            throw new IllegalArgumentException("feature dimension must be positive, got " + featureDim);
        }
        Schedules.check(scheduler);
    }

    private static boolean oneOf(String v, String[] choices) {
        for (String c : choices) {
            if (c.equals(v)) {
                return true;
            }
        }
        return false;
    }

    public String optimizer() {
        return optimizer;
    }

    public double lr() {
        return lr;
    }

    public double momentum() {
        return momentum;
    }

    public double weightDecay() {
        return weightDecay;
    }

    /** The schedule spec: {@code none}, {@code step} (x0.1 at 70% of the epochs), {@code step:S:G}, {@code cosine}. */
    public String scheduler() {
        return scheduler;
    }

    public int batchSize() {
        return batchSize;
    }

    public int epochs() {
        return epochs;
    }

    public long seed() {
        return seed;
    }

    public String fusion() {
        return fusion;
    }

    public int featureDim() {
        return featureDim;
    }

    /** Encoder choices by modality ({@code audio -> resnet18}); modalities not listed are chosen by shape. */
    public Map<String, String> encoders() {
        return encoders;
    }

    /** The free-form method options as given ({@code --opt key=value}). */
    public Map<String, String> options() {
        return options;
    }

    public TrainConfig withOptimizer(String v) {
        return new TrainConfig(v, lr, momentum, weightDecay, scheduler, batchSize, epochs, seed, fusion, featureDim, encoders, options);
    }

    public TrainConfig withLr(double v) {
        return new TrainConfig(optimizer, v, momentum, weightDecay, scheduler, batchSize, epochs, seed, fusion, featureDim, encoders, options);
    }

    public TrainConfig withMomentum(double v) {
        return new TrainConfig(optimizer, lr, v, weightDecay, scheduler, batchSize, epochs, seed, fusion, featureDim, encoders, options);
    }

    public TrainConfig withWeightDecay(double v) {
        return new TrainConfig(optimizer, lr, momentum, v, scheduler, batchSize, epochs, seed, fusion, featureDim, encoders, options);
    }

    public TrainConfig withScheduler(String v) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, v, batchSize, epochs, seed, fusion, featureDim, encoders, options);
    }

    public TrainConfig withBatchSize(int v) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, scheduler, v, epochs, seed, fusion, featureDim, encoders, options);
    }

    public TrainConfig withEpochs(int v) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, scheduler, batchSize, v, seed, fusion, featureDim, encoders, options);
    }

    public TrainConfig withSeed(long v) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, scheduler, batchSize, epochs, v, fusion, featureDim, encoders, options);
    }

    public TrainConfig withFusion(String v) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, scheduler, batchSize, epochs, seed, v, featureDim, encoders, options);
    }

    public TrainConfig withFeatureDim(int v) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, scheduler, batchSize, epochs, seed, fusion, v, encoders, options);
    }

    public TrainConfig withEncoders(Map<String, String> v) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, scheduler, batchSize, epochs, seed, fusion, featureDim, v, options);
    }

    public TrainConfig withOptions(Map<String, String> v) {
        return new TrainConfig(optimizer, lr, momentum, weightDecay, scheduler, batchSize, epochs, seed, fusion, featureDim, encoders, v);
    }

    /** A copy with one more method option. */
    public TrainConfig withOption(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(options);
        m.put(key, value);
        return withOptions(m);
    }

    /** The settings as strings (for metrics.json and checkpoints). */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer);
        m.put("lr", Double.toString(lr));
        m.put("momentum", Double.toString(momentum));
        m.put("weight_decay", Double.toString(weightDecay));
        m.put("scheduler", scheduler);
        m.put("batch_size", Integer.toString(batchSize));
        m.put("epochs", Integer.toString(epochs));
        m.put("seed", Long.toString(seed));
        m.put("fusion", fusion);
        m.put("feature_dim", Integer.toString(featureDim));
        encoders.forEach((k, v) -> m.put("encoder." + k, v));
        options.forEach((k, v) -> m.put("opt." + k, v));
        return m;
    }

    @Override
    public String toString() {
        return describe().toString();
    }
}
