package io.tutti.multimodal.methods;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.multimodal.Method;
import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.MethodOptions;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.MultimodalLoader;
import io.tutti.multimodal.Phase;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.StepStats;
import io.tutti.multimodal.models.ModuleDict;
import io.tutti.multimodal.models.WeightInit;
import io.tutti.nn.Linear;
import io.tutti.nn.Losses;
import io.tutti.nn.Module;
import io.tutti.nn.ReLU;
import io.tutti.nn.Reduction;
import io.tutti.nn.Sequential;
import io.tutti.optim.LRScheduler;
import io.tutti.optim.Optimizer;
import io.tutti.optim.ParamGroup;
import io.tutti.optim.SAM;
import io.tutti.optim.StateDict;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MIE, modal-aware interactive enhancement (Jiang, Chi, Yang, arXiv 2407.04587; METHODS.md §6,
 * read from the authors' IGM code). Training alternates between modalities in stages; a stage
 * trains one modality's encoder and classifier alone:
 * <ul>
 *   <li>mixup on that modality's inputs, λ ~ Beta(α, α) ({@link Mixup});</li>
 *   <li>sharpness-aware minimisation of the mixed objective (1 − β) L(w) + β L(w + ε) with
 *       ε = ρ g / ‖g‖ over all of the stage's parameters, the weights put back exactly before the
 *       update ({@link SAM}, ρ = 0.05: Foret et al.'s default, unverified for MIE);</li>
 *   <li>from the second stage on, the soft flat projection ({@link FlatProjection}): each linear
 *       weight gradient times the projector built from the inputs the previously trained
 *       modality's matching layer saw over the whole training set.</li>
 * </ul>
 * Each stage starts from the best state of the previous one (the trainer restores it) with a fresh
 * optimizer and schedule. Every modality has its own classifier
 * Linear(d, 256) → ReLU → Linear(256, 64) → Linear(64, K); evaluation averages the per-modality
 * softmax probabilities over the modalities a sample has.
 *
 * <p>Stages: the released code's epoch lists ([25, 50, 25, 50] for Kinetics-Sounds) are scaled to
 * the run's epochs: {@code stages=1,2,1,2} gives the relative lengths (stage k trains modality
 * k mod M of {@code order}), or {@code stage-epochs=5,10,5,10} gives them exactly.
 *
 * <p>Options: {@code mixup=1.0} (α; 0 turns mixup off), {@code beta=0.3} (flat_ratio),
 * {@code sam=proper|released|off}, {@code rho=0.05}, {@code rho-cls} (classifier radius in the
 * released mode, default {@code rho}), {@code projection=flat|none}, {@code tau=0.4},
 * {@code matching=paired|all}, {@code hidden=256,64}, {@code order}, and {@code released=true},
 * which selects the released code's choices together: per-tensor perturbation that is never
 * undone, ρ = 1e-10, the flat loss from the classifier alone at w + ε on the already computed
 * features with the un-mixed labels, and every same-shaped layer's projector.
 */
public class Mie implements Method {
    private MethodContext context;
    private MieModel model;
    private List<String> order;
    private double[] stageEpochs;
    private boolean explicitStageEpochs;
    private double mixupAlpha;
    private double beta;
    private String samMode;
    private double rho;
    private double rhoClassifier;
    private boolean flat;
    private double tau;
    private FlatProjection.Matching matching;
    private Generator mixupGenerator;

    private int stage = -1;
    private String active;
    private boolean trainedStage;
    private String lastTrained;
    private Optimizer optimizer;
    private SAM sam;
    private LRScheduler scheduler;
    private FlatProjection projection;

    /** Encoders ({@code encoders.<m>}) and per-modality classifiers ({@code classifiers.<m>}). */
    public static final class MieModel extends Module {
        private final ModuleDict<Encoder> encoders;
        private final ModuleDict<Sequential> classifiers;

        MieModel(MethodContext ctx, int[] hidden) {
            encoders = registerModule("encoders", new ModuleDict<>());
            classifiers = registerModule("classifiers", new ModuleDict<>());
            for (String m : ctx.modalities()) {
                Encoder e = encoders.put(m, ctx.newEncoder(m));
                classifiers.put(m, WeightInit.apply(classifier(e.featureDim(), hidden, ctx.numClasses(), ctx), ctx.generator()));
            }
        }

        /** d → h1 → ReLU → h2 → K, with no activation between the last two (as the released code). */
        private static Sequential classifier(int in, int[] hidden, int classes, MethodContext ctx) {
            Sequential s = new Sequential();
            int width = in;
            for (int i = 0; i < hidden.length; i++) {
                s.append(new Linear(width, hidden[i], ctx.generator()));
                if (i == 0) {
                    s.append(new ReLU());
                }
                width = hidden[i];
            }
            return s.append(new Linear(width, classes, ctx.generator()));
        }

        public ModuleDict<Encoder> encoders() {
            return encoders;
        }

        public ModuleDict<Sequential> classifiers() {
            return classifiers;
        }

        Variable logits(String m, Variable x) {
            return classifiers.get(m).forward(encoders.get(m).forward(x));
        }
    }

    @Override
    public String name() {
        return "mie";
    }

    @Override
    public void init(MethodContext ctx) {
        this.context = ctx;
        MethodOptions o = ctx.options();
        boolean released = o.getBoolean("released", false);
        order = Mla.parseOrder(o.getString("order", String.join(",", ctx.modalities())), ctx.modalities());
        explicitStageEpochs = o.has("stage-epochs");
        stageEpochs = numbers(explicitStageEpochs ? o.getString("stage-epochs", "") : o.getString("stages", "1,2,1,2"),
                explicitStageEpochs ? "stage-epochs" : "stages");
        mixupAlpha = o.getDouble("mixup", 1.0);
        beta = o.getDouble("beta", 0.3);
        if (!(beta >= 0 && beta <= 1)) {
            throw new IllegalArgumentException("--opt beta=" + beta + ": expected a weight in [0, 1]");
        }
        samMode = o.getChoice("sam", released ? "released" : "proper", "proper", "released", "off");
        rho = o.getDouble("rho", released ? 1e-10 : 0.05);
        rhoClassifier = o.getDouble("rho-cls", rho);
        flat = o.getChoice("projection", "flat", "flat", "none").equals("flat");
        tau = o.getDouble("tau", 0.4);
        matching = o.getChoice("matching", released ? "all" : "paired", "paired", "all").equals("paired")
                ? FlatProjection.Matching.PAIRED : FlatProjection.Matching.ALL_SAME_SHAPE;
        int[] hidden = Arrays.stream(numbers(o.getString("hidden", "256,64"), "hidden")).mapToInt(d -> (int) d).toArray();
        model = new MieModel(ctx, hidden);
        mixupGenerator = new Generator(ctx.seed() * 31 + 7);
    }

    private static double[] numbers(String text, String key) {
        try {
            double[] v = Arrays.stream(text.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
            for (double d : v) {
                if (!(d >= 0)) {
                    throw new NumberFormatException();
                }
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--opt " + key + "=" + text + ": expected comma-separated non-negative numbers");
        }
    }

    @Override
    public List<Phase> phases(int epochs) {
        int[] lengths = explicitStageEpochs ? Arrays.stream(stageEpochs).mapToInt(d -> (int) d).toArray()
                : scaledStages(stageEpochs, epochs);
        List<Phase> out = new ArrayList<>();
        for (int k = 0; k < lengths.length; k++) {
            out.add(Phase.of("stage" + (k + 1) + "-" + order.get(k % order.size()), lengths[k]));
        }
        return out;
    }

    /** Stage lengths in proportion to {@code ratios} that add up to {@code epochs} (largest remainders first). */
    static int[] scaledStages(double[] ratios, int epochs) {
        double total = Arrays.stream(ratios).sum();
        if (!(total > 0)) {
            throw new IllegalArgumentException("mie: stage ratios must not all be zero");
        }
        int[] out = new int[ratios.length];
        double[] remainder = new double[ratios.length];
        int used = 0;
        for (int i = 0; i < ratios.length; i++) {
            double exact = epochs * ratios[i] / total;
            out[i] = (int) Math.floor(exact);
            remainder[i] = exact - out[i];
            used += out[i];
        }
        for (; used < epochs; used++) {
            int best = 0;
            for (int i = 1; i < ratios.length; i++) {
                if (remainder[i] > remainder[best]) {
                    best = i;
                }
            }
            out[best]++;
            remainder[best] = -1;
        }
        return out;
    }

    @Override
    public void startPhase(Phase phase) {
        stage++;
        if (active != null && trainedStage) {
            lastTrained = active;
        }
        active = order.get(stage % order.size());
        trainedStage = phase.epochs() > 0;
        String previous = lastTrained;   // a stage scaled down to 0 epochs trained nothing to project from
        ParamGroup encoderGroup = ParamGroup.of(model.encoders.get(active).parameters());
        ParamGroup classifierGroup = ParamGroup.of(model.classifiers.get(active).parameters());
        if (samMode.equals("released")) {
            encoderGroup.set(SAM.RHO, rho);
            classifierGroup.set(SAM.RHO, rhoClassifier);
        }
        optimizer = context.newOptimizer(List.of(encoderGroup, classifierGroup));
        scheduler = context.newScheduler(optimizer, Math.max(1, phase.epochs()));
        sam = switch (samMode) {
            case "proper" -> new SAM(optimizer, SAM.options().rho(rho));
            case "released" -> new SAM(optimizer, SAM.Options.releasedMie(rho));
            default -> null;
        };
        projection = null;
        if (flat && previous != null && !previous.equals(active) && phase.epochs() > 0) {
            projection = fitProjection(active, previous);
            optimizer.addGradientTransform(projection.transform());
        }
    }

    /** The flat projection for training {@code trained} after {@code previous}, from a pass over the training split. */
    @SuppressWarnings("try")   // the scope is opened only to be closed
    private FlatProjection fitProjection(String trained, String previous) {
        var twins = FlatProjection.twins(
                FlatProjection.linearLayers(model.encoders.get(trained), model.classifiers.get(trained)),
                FlatProjection.linearLayers(model.encoders.get(previous), model.classifiers.get(previous)), matching);
        if (twins.isEmpty() || context.trainData() == null) {
            return FlatProjection.fit(Map.of(), () -> { }, tau);
        }
        return FlatProjection.fit(twins, () -> {
            model.eval();
            try (Autograd.Scope ignored = Autograd.noGrad()) {
                MultimodalLoader loader = MultimodalLoader.ordered(context.trainData(), context.config().batchSize());
                for (MultimodalBatch b : loader.epoch(0)) {
                    Tensor rows = Presence.rows(b.present(previous));
                    if (rows.shape(0) > 0) {
                        model.logits(previous, new Variable(Presence.select(b.input(previous), rows)));
                    }
                }
            }
        }, tau);
    }

    /** The modality the current stage trains (null before the first). */
    public String activeModality() {
        return active;
    }

    /** The flat projection of the current stage, or null (first stage, or {@code projection=none}). */
    public FlatProjection projection() {
        return projection;
    }

    @Override
    public StepStats trainStep(MultimodalBatch batch, StepInfo info) {
        if (active == null) {
            throw new IllegalStateException("mie: trainStep before startPhase");
        }
        model.train();
        Tensor rows = Presence.rows(batch.present(active));
        if (rows.shape(0) == 0) {
            return StepStats.of(0);
        }
        Mixup mix = Mixup.of(Presence.select(batch.input(active), rows), Presence.select(batch.labels(), rows), mixupAlpha,
                mixupGenerator);
        Variable x = new Variable(mix.input());
        optimizer.zeroGrad();
        Variable h = model.encoders.get(active).forward(x);
        Variable o = model.classifiers.get(active).forward(h);
        Variable lossOri = mixupLoss(o, mix);
        double flatLoss = Double.NaN;
        switch (samMode) {
            case "off" -> {
                lossOri.backward();
                optimizer.step();
            }
            case "proper" -> {
                lossOri.mul(1 - beta).backward();
                sam.firstStep(false);
                Variable perturbed = model.logits(active, x);
                Variable lossFlat = mixupLoss(perturbed, mix);
                lossFlat.mul(beta).backward();
                flatLoss = lossFlat.item();
                sam.secondStep();
            }
            default -> {   // released
                lossOri.mul(1 - beta).backward(Tensor.scalar(1.0, lossOri.dtype()), true);
                sam.firstStep(false);
                Variable lossFlat = Losses.crossEntropy(model.classifiers.get(active).forward(h), mix.labels(), null,
                        Losses.IGNORE_INDEX, 0, Reduction.MEAN);
                lossFlat.mul(beta).backward();
                flatLoss = lossFlat.item();
                sam.secondStep();
            }
        }
        optimizer.zeroGrad();
        double loss = Double.isNaN(flatLoss) ? lossOri.item() : (1 - beta) * lossOri.item() + beta * flatLoss;
        return StepStats.of(loss).modalityLoss(active, lossOri.item());
    }

    /** λ CE(o, y) + (1 − λ) CE(o, y[perm]), each the batch mean. */
    private static Variable mixupLoss(Variable logits, Mixup mix) {
        Variable a = Losses.crossEntropy(logits, mix.labels(), null, Losses.IGNORE_INDEX, 0, Reduction.MEAN);
        if (mix.lambda() == 1.0) {
            return a;
        }
        Variable b = Losses.crossEntropy(logits, mix.shuffled(), null, Losses.IGNORE_INDEX, 0, Reduction.MEAN);
        return a.mul(mix.lambda()).add(b.mul(1 - mix.lambda()));
    }

    @Override
    public void endEpoch(int epoch) {
        if (scheduler != null) {
            scheduler.step();
        }
    }

    @Override
    @SuppressWarnings("try")   // the scope is opened only to be closed
    public Prediction predict(MultimodalBatch batch) {
        model.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            Map<String, Tensor> logits = new LinkedHashMap<>();
            List<Tensor> zs = new ArrayList<>();
            List<Tensor> present = new ArrayList<>();
            for (String m : context.modalities()) {
                Tensor z = model.logits(m, batch.variable(m)).data();
                logits.put(m, z);
                zs.add(z);
                present.add(batch.present(m));
            }
            return new Prediction(MethodSupport.fuseOverPresent(zs, present, true), logits);
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
        StateDict sd = new StateDict().putLong("stage", stage).putLong("mixup.offset", mixupGenerator.offset());
        if (optimizer != null) {
            sd.putAll(optimizer.stateDict().prefixed("optimizer."));
            sd.putAll(scheduler.stateDict().prefixed("scheduler."));
        }
        if (projection != null) {
            sd.putAll(projection.stateDict().prefixed("flat."));
        }
        return sd;
    }

    @Override
    public void loadTrainingState(StateDict state) {
        mixupGenerator.setOffset(state.getLong("mixup.offset"));
        if (state.getLong("stage") != stage) {
            throw new IllegalArgumentException("mie: the training state is from stage " + (state.getLong("stage") + 1)
                    + ", the method is in stage " + (stage + 1));
        }
        if (optimizer != null) {
            optimizer.loadStateDict(state.section("optimizer."));
            scheduler.loadStateDict(state.section("scheduler."));
        }
        if (projection != null) {
            // the projector of a resumed stage is the one fitted when the stage began, not one refitted now
            projection.loadStateDict(state.section("flat."));
        }
    }
}
