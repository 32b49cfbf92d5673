package io.tutti.multimodal.methods;

import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.multimodal.Method;
import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.MethodOptions;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.Phase;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.StepStats;
import io.tutti.multimodal.TrainConfig;
import io.tutti.multimodal.lora.Lora;
import io.tutti.multimodal.lora.LoraConfig;
import io.tutti.multimodal.lora.LoraInit;
import io.tutti.multimodal.lora.LoraInjection;
import io.tutti.nn.BatchNorm;
import io.tutti.nn.Module;
import io.tutti.nn.Parameter;
import io.tutti.nn.StateDicts;
import io.tutti.optim.LRScheduler;
import io.tutti.optim.Optimizer;
import io.tutti.optim.StateDict;
import io.tutti.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MMLoRA (Du et al., arXiv 2310.05193; METHODS.md §5): multimodal low-rank adaptation of a
 * uni-modal ensemble, in two phases.
 * <ol>
 *   <li>{@code unimodal}: each modality's encoder and head trained alone, exactly the
 *       {@link Ensemble} (per-modality model selection by default), or loaded from a safetensors
 *       file with the ensemble's keys ({@code encoders.<m>.*}, {@code heads.<m>.*}).</li>
 *   <li>{@code lora}: everything is frozen; LoRA ({@link Lora}) goes into the chosen layers of the
 *       chosen modalities' encoders; the LoRA factors and (by default) the heads are trained jointly
 *       on CE(Σ_m g_m(φ_m(x_m)), y), so the modalities adapt to each other while the uni-modal
 *       features are kept. B starts at zero, so at the start of this phase the model computes
 *       exactly the phase-1 ensemble.</li>
 * </ol>
 * Prediction is the ensemble's: the mean over the present modalities of the logits (the same
 * argmax as the trained sum).
 *
 * <p>Options: {@code rank=8}, {@code alpha=16} (scale α/r), {@code dropout=0},
 * {@code init=kaiming|gaussian}, {@code targets=**} (comma-separated globs or {@code re:} regexes
 * over the encoder's module names; {@code **} is every linear and convolution layer),
 * {@code modalities=all} (or a comma-separated subset), {@code train-heads=true},
 * {@code freeze-bn=true} (batch norm keeps its phase-1 running statistics in phase 2),
 * {@code stage1-epochs} (default two thirds of the run; 0 when loading),
 * {@code stage1=FILE.safetensors} (load phase 1), {@code save-stage1=FILE.safetensors},
 * {@code stage2-lr} (default a tenth of the run's lr), {@code select=modality|fused} (phase-1 selection).
 */
public class MmLora implements Method {
    /** The name of the first phase. */
    public static final String UNIMODAL = "unimodal";
    /** The name of the second phase. */
    public static final String LORA = "lora";

    private MethodContext context;
    private Ensemble ensemble;
    private Ensemble.EnsembleModel model;
    private LoraConfig loraConfig;
    private List<String> loraModalities;
    private boolean trainHeads;
    private boolean freezeBatchNorm;
    private Integer stage1Epochs;
    private Path stage1File;
    private Path saveStage1File;
    private double stage2Lr;
    private String phase = UNIMODAL;
    private final Map<String, LoraInjection> injections = new LinkedHashMap<>();
    private Optimizer optimizer;
    private LRScheduler scheduler;
    private long unimodalSteps;

    @Override
    public String name() {
        return "mmlora";
    }

    @Override
    public void init(MethodContext ctx) {
        this.context = ctx;
        MethodOptions o = ctx.options();
        loraConfig = new LoraConfig(o.getInt("rank", 8), o.getDouble("alpha", 16), o.getDouble("dropout", 0),
                o.getChoice("init", "kaiming", "kaiming", "gaussian").equals("kaiming") ? LoraInit.KAIMING_UNIFORM : LoraInit.GAUSSIAN,
                Arrays.stream(o.getString("targets", "**").split(",")).map(String::trim).toList());
        String mods = o.getString("modalities", "all");
        loraModalities = mods.equals("all") ? ctx.modalities() : Arrays.stream(mods.split(",")).map(String::trim).toList();
        for (String m : loraModalities) {
            if (!ctx.modalities().contains(m)) {
                throw new IllegalArgumentException("--opt modalities=" + mods + ": unknown modality '" + m + "'; modalities are "
                        + ctx.modalities());
            }
        }
        trainHeads = o.getBoolean("train-heads", true);
        freezeBatchNorm = o.getBoolean("freeze-bn", true);
        stage1Epochs = o.has("stage1-epochs") ? o.getInt("stage1-epochs", 0) : null;
        stage1File = o.has("stage1") ? Path.of(o.getString("stage1", "")) : null;
        saveStage1File = o.has("save-stage1") ? Path.of(o.getString("save-stage1", "")) : null;
        // fine-tuning rate: a tenth of the run's (with SGD at the run's rate LoRA on every convolution diverged on AV-MNIST)
        stage2Lr = o.getDouble("stage2-lr", ctx.config().lr() / 10);
        String select = o.getChoice("select", "modality", "modality", "fused");

        int epochs = ctx.config().epochs();
        TrainConfig inner = ctx.config().withEpochs(stage1EpochsOf(epochs)).withOptions(Map.of("select", select, "rule", "logit"));
        Map<String, int[]> shapes = new LinkedHashMap<>();
        ctx.modalities().forEach(m -> shapes.put(m, ctx.sampleShape(m)));
        ensemble = new Ensemble();
        ensemble.init(new MethodContext(shapes, ctx.numClasses(), inner, ctx.encoderFactory(), ctx.generator(), ctx.trainData(),
                ctx.batchesPerEpoch()));
        model = (Ensemble.EnsembleModel) ensemble.model();
        if (stage1File != null) {
            try {
                StateDicts.load(model, stage1File, true);
            } catch (IOException e) {
                throw new UncheckedIOException("mmlora: cannot load stage 1 from " + stage1File + ": " + e.getMessage(), e);
            }
        }
    }

    private int stage1EpochsOf(int epochs) {
        if (stage1Epochs != null) {
            return Math.min(stage1Epochs, epochs);
        }
        return stage1File != null ? 0 : epochs - Math.max(1, Math.round(epochs / 3f));
    }

    @Override
    public List<Phase> phases(int epochs) {
        int first = Math.min(epochs, stage1EpochsOf(epochs));
        return List.of(Phase.of(UNIMODAL, first), Phase.of(LORA, epochs - first));
    }

    @Override
    public void startPhase(Phase p) {
        phase = p.name();
        if (phase.equals(LORA)) {
            startLora(p.epochs());
        }
    }

    /** Freezes the ensemble, injects LoRA and builds the phase-2 optimizer. */
    private void startLora(int epochs) {
        if (!injections.isEmpty()) {
            return;   // already injected (a resumed run)
        }
        model.requiresGrad(false);
        for (String m : loraModalities) {
            injections.put(m, Lora.inject(model.encoders().get(m), loraConfig, context.generator()));
        }
        List<Parameter> params = new ArrayList<>();
        injections.values().forEach(inj -> params.addAll(inj.parameters()));
        if (trainHeads) {
            model.heads().requiresGrad(true);
            params.addAll(model.heads().parameters());
        }
        optimizer = context.newOptimizer(params);
        optimizer.paramGroups().forEach(g -> g.lr(stage2Lr));
        scheduler = context.newScheduler(optimizer, Math.max(1, epochs));
    }

    /** The LoRA injections of phase 2 by modality (empty before it). */
    public Map<String, LoraInjection> injections() {
        return injections;
    }

    public String currentPhase() {
        return phase;
    }

    @Override
    public StepStats trainStep(MultimodalBatch batch, StepInfo info) {
        if (!phase.equals(LORA)) {
            unimodalSteps++;
            return ensemble.trainStep(batch, info);
        }
        model.train();
        if (freezeBatchNorm) {
            model.encoders().apply(mod -> {
                if (mod instanceof BatchNorm) {
                    mod.eval();
                }
            });
        }
        optimizer.zeroGrad();
        Variable sum = null;
        Tensor anyPresent = null;
        Map<String, Tensor> logits = new LinkedHashMap<>();
        for (String m : context.modalities()) {
            Tensor present = batch.present(m);
            Variable z = MethodSupport.zeroFillMissing(model.logits(m, batch.variable(m)), present);
            logits.put(m, z.data());
            sum = sum == null ? z : sum.add(z);
            anyPresent = anyPresent == null ? present : anyPresent.maximum(present);
        }
        Variable loss = MethodSupport.crossEntropyOver(sum, batch.labels(), anyPresent);
        if (loss == null) {
            return StepStats.of(0);
        }
        loss.backward();
        optimizer.step();
        optimizer.zeroGrad();
        StepStats stats = StepStats.of(loss.item()).fusedLogits(sum.data());
        logits.forEach(stats::modalityLogits);
        return stats;
    }

    @Override
    public void endEpoch(int epoch) {
        if (phase.equals(LORA)) {
            scheduler.step();
        } else {
            ensemble.endEpoch(epoch);
        }
    }

    @Override
    public void afterValidation(int epoch, double accuracy, Map<String, Double> modalityAccuracy) {
        if (!phase.equals(LORA)) {
            ensemble.afterValidation(epoch, accuracy, modalityAccuracy);
        }
    }

    @Override
    public void endPhase(Phase p) {
        if (!p.name().equals(UNIMODAL)) {
            return;
        }
        if (p.epochs() > 0) {
            ensemble.endPhase(p);
        }
        if (saveStage1File != null && unimodalSteps > 0) {   // not when a resumed run replays the phase
            try {
                StateDicts.save(model, saveStage1File, Map.of("method", "mmlora", "stage", "1"));
            } catch (IOException e) {
                throw new UncheckedIOException("mmlora: cannot save stage 1 to " + saveStage1File + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Prediction predict(MultimodalBatch batch) {
        return ensemble.predict(batch);
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Map<String, Encoder> encoders() {
        return ensemble.encoders();
    }

    @Override
    public StateDict trainingState() {
        StateDict sd = ensemble.trainingState().prefixed("ensemble.");
        sd.putString("phase", phase);
        if (optimizer != null) {
            sd.putAll(optimizer.stateDict().prefixed("lora.optimizer."));
            sd.putAll(scheduler.stateDict().prefixed("lora.scheduler."));
        }
        return sd;
    }

    @Override
    public void loadTrainingState(StateDict state) {
        ensemble.loadTrainingState(state.section("ensemble."));
        if (state.hasMetadata("phase")) {
            phase = state.getString("phase");
        }
        if (optimizer != null && !state.section("lora.optimizer.").isEmpty()) {
            optimizer.loadStateDict(state.section("lora.optimizer."));
            scheduler.loadStateDict(state.section("lora.scheduler."));
        }
    }
}
