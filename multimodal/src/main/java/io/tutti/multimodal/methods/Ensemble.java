package io.tutti.multimodal.methods;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.multimodal.Method;
import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.Phase;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.StepStats;
import io.tutti.multimodal.models.ModuleDict;
import io.tutti.multimodal.models.WeightInit;
import io.tutti.nn.Linear;
import io.tutti.nn.Module;
import io.tutti.optim.LRScheduler;
import io.tutti.optim.Optimizer;
import io.tutti.optim.StateDict;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The uni-modal ensemble (METHODS.md 2): every modality has its own encoder and linear head
 * ({@code encoders.<m>}, {@code heads.<m>}) trained alone on {@code CE(g_m(φ_m(x_m)), y)}. The
 * modalities share no parameter, and each has its own optimizer and schedule, so training them side
 * by side in one loop (each batch: one independent step per modality) is the same as training them
 * one after another.
 *
 * <p>Test-time fusion over the modalities each sample has (weights renormalised): the mean of the
 * logits ({@code rule=logit}, default; the equal-weight logit sum up to a constant factor) or the
 * log of the mean probability ({@code rule=prob}). Model selection is per modality by default
 * ({@code select=modality}: each modality keeps the epoch where its own validation accuracy was
 * best, as training each alone would), or on the fused validation accuracy ({@code select=fused}).
 * Per-modality logits are the own heads' (probe 3).
 */
public class Ensemble implements Method {
    private MethodContext context;
    private EnsembleModel model;
    private final Map<String, Optimizer> optimizers = new LinkedHashMap<>();
    private final Map<String, LRScheduler> schedulers = new LinkedHashMap<>();
    private boolean probabilityMean;
    private boolean selectPerModality;
    private final Map<String, Double> bestAccuracy = new LinkedHashMap<>();
    private final Map<String, Map<String, Tensor>> bestState = new LinkedHashMap<>();

    /** The ensemble's modules: an encoder and a head per modality. */
    public static final class EnsembleModel extends Module {
        private final ModuleDict<Encoder> encoders;
        private final ModuleDict<Linear> heads;

        EnsembleModel(MethodContext ctx) {
            encoders = registerModule("encoders", new ModuleDict<>());
            heads = registerModule("heads", new ModuleDict<>());
            for (String m : ctx.modalities()) {
                Encoder e = encoders.put(m, ctx.newEncoder(m));
                heads.put(m, WeightInit.apply(new Linear(e.featureDim(), ctx.numClasses(), ctx.generator()), ctx.generator()));
            }
        }

        public ModuleDict<Encoder> encoders() {
            return encoders;
        }

        public ModuleDict<Linear> heads() {
            return heads;
        }

        /** Logits of modality m alone. */
        Variable logits(String m, Variable x) {
            return heads.get(m).forward(encoders.get(m).forward(x));
        }
    }

    @Override
    public String name() {
        return "ensemble";
    }

    @Override
    public void init(MethodContext ctx) {
        this.context = ctx;
        this.model = new EnsembleModel(ctx);
        probabilityMean = ctx.options().getChoice("rule", "logit", "logit", "prob").equals("prob");
        selectPerModality = ctx.options().getChoice("select", "modality", "modality", "fused").equals("modality");
        for (String m : ctx.modalities()) {
            List<io.tutti.nn.Parameter> params = new ArrayList<>(model.encoders.get(m).parameters());
            params.addAll(model.heads.get(m).parameters());
            Optimizer opt = ctx.newOptimizer(params);
            optimizers.put(m, opt);
            schedulers.put(m, ctx.newScheduler(opt, ctx.config().epochs()));
        }
    }

    @Override
    public StepStats trainStep(MultimodalBatch batch, StepInfo info) {
        model.train();
        double total = 0;
        Map<String, Double> losses = new LinkedHashMap<>();
        Map<String, Tensor> logits = new LinkedHashMap<>();
        for (String m : context.modalities()) {
            Optimizer opt = optimizers.get(m);
            opt.zeroGrad();
            Variable z = model.logits(m, batch.variable(m));
            Variable loss = MethodSupport.crossEntropyOver(z, batch.labels(), batch.present(m));
            logits.put(m, z.data());
            if (loss == null) {
                continue;   // no sample of this batch has the modality
            }
            loss.backward();
            opt.step();
            losses.put(m, loss.item());
            total += loss.item();
        }
        StepStats stats = StepStats.of(total);
        losses.forEach(stats::modalityLoss);
        logits.forEach(stats::modalityLogits);
        stats.fusedLogits(fuse(batch, logits));
        return stats;
    }

    private Tensor fuse(MultimodalBatch batch, Map<String, Tensor> logits) {
        List<Tensor> zs = new ArrayList<>();
        List<Tensor> present = new ArrayList<>();
        logits.forEach((m, z) -> {
            zs.add(z);
            present.add(batch.present(m));
        });
        return MethodSupport.fuseOverPresent(zs, present, probabilityMean);
    }

    @Override
    public void endEpoch(int epoch) {
        schedulers.values().forEach(LRScheduler::step);
    }

    @Override
    public void afterValidation(int epoch, double accuracy, Map<String, Double> modalityAccuracy) {
        if (!selectPerModality) {
            return;
        }
        for (String m : context.modalities()) {
            Double acc = modalityAccuracy.get(m);
            if (acc != null && !acc.isNaN() && acc > bestAccuracy.getOrDefault(m, Double.NEGATIVE_INFINITY)) {
                bestAccuracy.put(m, acc);
                bestState.put(m, snapshot(m));
            }
        }
    }

    private Map<String, Tensor> snapshot(String m) {
        Map<String, Tensor> s = new LinkedHashMap<>();
        model.encoders.get(m).stateDict().forEach((k, v) -> s.put("encoders." + m + "." + k, v.copy()));
        model.heads.get(m).stateDict().forEach((k, v) -> s.put("heads." + m + "." + k, v.copy()));
        return s;
    }

    @Override
    public void endPhase(Phase phase) {
        if (!selectPerModality || bestState.isEmpty()) {
            return;
        }
        Map<String, Tensor> state = new LinkedHashMap<>(model.stateDict());
        bestState.values().forEach(state::putAll);
        model.loadStateDict(state);
    }

    @Override
    @SuppressWarnings("try")
    public Prediction predict(MultimodalBatch batch) {
        model.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Map<String, Tensor> logits = new LinkedHashMap<>();
            for (String m : context.modalities()) {
                logits.put(m, model.logits(m, batch.variable(m)).data());
            }
            return new Prediction(fuse(batch, logits), logits);
        }
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Map<String, Encoder> encoders() {
        return model.encoders.asMap();
    }

    @Override
    public StateDict trainingState() {
        StateDict sd = new StateDict();
        for (String m : context.modalities()) {
            sd.putAll(optimizers.get(m).stateDict().prefixed("optimizer." + m + "."));
            sd.putAll(schedulers.get(m).stateDict().prefixed("scheduler." + m + "."));
            if (bestState.containsKey(m)) {
                sd.putDouble("best." + m + ".accuracy", bestAccuracy.get(m));
                bestState.get(m).forEach((k, v) -> sd.put("best." + m + ".state." + k, v));
            }
        }
        return sd;
    }

    @Override
    public void loadTrainingState(StateDict state) {
        bestAccuracy.clear();
        bestState.clear();
        for (String m : context.modalities()) {
            optimizers.get(m).loadStateDict(state.section("optimizer." + m + "."));
            schedulers.get(m).loadStateDict(state.section("scheduler." + m + "."));
            if (state.hasMetadata("best." + m + ".accuracy")) {
                bestAccuracy.put(m, state.getDouble("best." + m + ".accuracy"));
                Map<String, Tensor> s = new LinkedHashMap<>();
                state.section("best." + m + ".state.").tensors().forEach((k, v) -> s.put(k, v.copy()));
                bestState.put(m, s);
            }
        }
    }
}
