package io.tutti.multimodal;

import io.tutti.multimodal.data.MultimodalData;
import io.tutti.nn.Parameter;
import io.tutti.optim.Adam;
import io.tutti.optim.AdamW;
import io.tutti.optim.LRScheduler;
import io.tutti.optim.Optimizer;
import io.tutti.optim.ParamGroup;
import io.tutti.optim.SGD;
import io.tutti.tensor.Generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link Method} needs to build itself in {@link Method#init}: the modalities and their
 * per-sample shapes, the number of classes, the training settings ({@link TrainConfig}), the
 * method's free-form options, an encoder factory, and one generator from which all of the method's
 * random initialisation (and training-time randomness such as OGM-GE's noise, if it saves the
 * generator's position in its training state) is drawn, so a run is a pure function of the seed.
 *
 * <p>{@link #newOptimizer} and {@link #newScheduler} build the optimizer and schedule the user
 * chose, so every method honours {@code --optimizer}, {@code --lr}, {@code --scheduler} alike.
 */
public final class MethodContext {
    private final List<String> modalities;
    private final Map<String, int[]> shapes;
    private final int numClasses;
    private final TrainConfig config;
    private final MethodOptions options;
    private final EncoderFactory encoderFactory;
    private final Generator generator;
    private final MultimodalData trainData;
    private final int batchesPerEpoch;

    /**
     * @param shapes          per-sample shape by modality, in modality order
     * @param trainData       the training split (methods that need a pass over it, e.g. to fit a projector); may be null
     * @param batchesPerEpoch training batches per epoch (0 if unknown)
     */
    public MethodContext(Map<String, int[]> shapes, int numClasses, TrainConfig config, EncoderFactory encoderFactory,
                         Generator generator, MultimodalData trainData, int batchesPerEpoch) {
        if (shapes.isEmpty()) {
            throw new IllegalArgumentException("MethodContext: needs at least one modality");
        }
        this.modalities = Collections.unmodifiableList(new ArrayList<>(shapes.keySet()));
        this.shapes = new LinkedHashMap<>();
        shapes.forEach((m, s) -> this.shapes.put(m, s.clone()));
        this.numClasses = numClasses;
        this.config = config;
        this.options = new MethodOptions(config.options());
        this.encoderFactory = encoderFactory;
        this.generator = generator;
        this.trainData = trainData;
        this.batchesPerEpoch = batchesPerEpoch;
    }

    /** A context for {@code data}'s modalities, with the training split and batch count filled in. */
    public static MethodContext forData(MultimodalData data, MultimodalData train, TrainConfig config, EncoderFactory encoders,
                                        Generator generator, int batchesPerEpoch) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (String m : data.modalityNames()) {
            shapes.put(m, data.sampleShape(m));
        }
        return new MethodContext(shapes, data.numClasses(), config, encoders, generator, train, batchesPerEpoch);
    }

    /** The modality names, in order. */
    public List<String> modalities() {
        return modalities;
    }

    /** The per-sample shape of a modality (without the batch dimension). */
    public int[] sampleShape(String modality) {
        int[] s = shapes.get(modality);
        if (s == null) {
            throw new IllegalArgumentException("MethodContext: unknown modality '" + modality + "'; modalities are " + modalities);
        }
        return s.clone();
    }

    public int numClasses() {
        return numClasses;
    }

    public TrainConfig config() {
        return config;
    }

    /** The run's seed. */
    public long seed() {
        return config.seed();
    }

    /** The generator for all of the method's randomness. */
    public Generator generator() {
        return generator;
    }

    /** The encoder feature width ({@code --feature-dim}). */
    public int featureDim() {
        return config.featureDim();
    }

    /** The fusion chosen with {@code --fusion}: concat, sum, film or gated. */
    public String fusion() {
        return config.fusion();
    }

    /** The method's {@code --opt key=value} options; reads are recorded so unknown keys can be reported. */
    public MethodOptions options() {
        return options;
    }

    public EncoderFactory encoderFactory() {
        return encoderFactory;
    }

    /** A new encoder for {@code modality} with {@link #featureDim()} outputs, drawn from {@link #generator()}. */
    public Encoder newEncoder(String modality) {
        return newEncoder(modality, featureDim());
    }

    /** A new encoder for {@code modality} with {@code featureDim} outputs. */
    public Encoder newEncoder(String modality, int featureDim) {
        return encoderFactory.create(modality, sampleShape(modality), featureDim, generator);
    }

    /** The training split, or null when the method is built without data (e.g. to load a checkpoint). */
    public MultimodalData trainData() {
        return trainData;
    }

    /** Training batches per epoch (0 when unknown). */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** The configured optimizer over one group of parameters. */
    public Optimizer newOptimizer(Collection<? extends Parameter> params) {
        return newOptimizer(List.of(ParamGroup.of(new ArrayList<>(params))));
    }

    /** The configured optimizer over parameter groups (options a group leaves unset come from the config). */
    public Optimizer newOptimizer(List<ParamGroup> groups) {
        switch (config.optimizer()) {
            case "sgd":
                return new SGD(groups, SGD.options().lr(config.lr()).momentum(config.momentum()).weightDecay(config.weightDecay()));
            case "adam":
                return new Adam(groups, Adam.options().lr(config.lr()).weightDecay(config.weightDecay()));
            case "adamw":
                return new AdamW(groups, Adam.options().lr(config.lr()).weightDecay(config.weightDecay()));
            default:
                throw new IllegalArgumentException("unknown optimizer '" + config.optimizer() + "'; choose one of "
                        + Arrays.toString(TrainConfig.OPTIMIZERS));
        }
    }

    /** The configured LR schedule for {@code optimizer} over {@code epochs} epochs (stepped once per epoch). */
    public LRScheduler newScheduler(Optimizer optimizer, int epochs) {
        return Schedules.create(config.scheduler(), optimizer, epochs);
    }
}
