package io.tutti.multimodal.methods;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.multimodal.Method;
import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.MethodOptions;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.StepStats;
import io.tutti.multimodal.models.ModuleDict;
import io.tutti.multimodal.models.WeightInit;
import io.tutti.nn.Linear;
import io.tutti.nn.Module;
import io.tutti.nn.Parameter;
import io.tutti.optim.LRScheduler;
import io.tutti.optim.Optimizer;
import io.tutti.optim.OwmProjector;
import io.tutti.optim.StateDict;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MLA, multimodal learning with alternating uni-modal adaptation (Zhang et al., CVPR 2024;
 * METHODS.md §4). Every modality has an encoder; all share one linear head W (so the encoders'
 * feature widths must be equal). Each batch takes one optimizer step per modality, in a fixed
 * order, on that modality's loss CE(W h_m + b, y) alone; between backward and the step the head's
 * weight gradient is projected with an OWM projector ({@link HeadProjection}) so that fitting one
 * modality does not erase what the head learned from the others. At test time the per-modality
 * logits are fused by prediction entropy over the modalities each sample has ({@link EntropyFusion}).
 *
 * <p>Options ({@code --opt key=value}); the defaults are the paper's form:
 * <ul>
 *   <li>{@code projection=owm|none}: the head-gradient projection (the released code's projection
 *       is dead code, so {@code none} reproduces what it actually runs);</li>
 *   <li>{@code source=previous|current}: P built from the previous step's modality (paper) or the
 *       current batch (released code);</li>
 *   <li>{@code normalize=true}: P divided by its Frobenius norm after each update (released code);</li>
 *   <li>{@code combine=replace|add}: G Pᵀ (official) or G + G Pᵀ (BalanceMM);</li>
 *   <li>{@code fusion=entropy|batch-entropy|fixed}, {@code weights=0.55,0.45}: per-sample entropy
 *       weights (paper), the released per-batch form, or fixed weights (default the released
 *       0.55/0.45, or 0.35/0.25/0.40 for three modalities, else uniform);</li>
 *   <li>{@code optimizers=shared|per-modality}: one optimizer for everything, or one per encoder
 *       plus one for the head (each step then touches only that modality's optimizer state);</li>
 *   <li>{@code idle-updates=false}: {@code true} gives the idle encoders zero gradients (the released
 *       code's {@code zero_grad()} of old PyTorch), so momentum and weight decay still move them;</li>
 *   <li>{@code order=a,v}: the modality order of the alternation (default the data's order).</li>
 * </ul>
 */
public class Mla implements Method {
    private MethodContext context;
    private MlaModel model;
    private List<String> order;
    private HeadProjection projection;
    private EntropyFusion fusion;
    private boolean idleUpdates;
    private final Map<String, Optimizer> optimizers = new LinkedHashMap<>();
    private final Map<String, LRScheduler> schedulers = new LinkedHashMap<>();
    private boolean perModalityOptimizers;

    /** The encoders ({@code encoders.<m>}) and the shared head ({@code head}). */
    public static final class MlaModel extends Module {
        private final ModuleDict<Encoder> encoders;
        private final Linear head;

        MlaModel(MethodContext ctx) {
            encoders = registerModule("encoders", new ModuleDict<>());
            int dim = -1;
            for (String m : ctx.modalities()) {
                Encoder e = encoders.put(m, ctx.newEncoder(m));
                if (dim >= 0 && e.featureDim() != dim) {
                    throw new IllegalArgumentException("mla: the shared head needs equal feature widths, but " + m + " has "
                            + e.featureDim() + " and an earlier modality " + dim);
                }
                dim = e.featureDim();
            }
            head = registerModule("head", WeightInit.apply(new Linear(dim, ctx.numClasses(), ctx.generator()), ctx.generator()));
        }

        public ModuleDict<Encoder> encoders() {
            return encoders;
        }

        public Linear head() {
            return head;
        }

        /** Features and logits of modality m through the shared head. */
        Variable[] forward(String m, Variable x) {
            Variable h = encoders.get(m).forward(x);
            return new Variable[] {h, head.forward(h)};
        }
    }

    @Override
    public String name() {
        return "mla";
    }

    @Override
    public void init(MethodContext ctx) {
        this.context = ctx;
        this.model = new MlaModel(ctx);
        MethodOptions o = ctx.options();
        order = parseOrder(o.getString("order", String.join(",", ctx.modalities())), ctx.modalities());
        boolean project = o.getChoice("projection", "owm", "owm", "none").equals("owm");
        HeadProjection.Source source = o.getChoice("source", "previous", "previous", "current").equals("previous")
                ? HeadProjection.Source.PREVIOUS_MODALITY : HeadProjection.Source.CURRENT_BATCH;
        boolean normalize = o.getBoolean("normalize", true);
        OwmProjector.Mode combine = o.getChoice("combine", "replace", "replace", "add").equals("replace")
                ? OwmProjector.Mode.REPLACE : OwmProjector.Mode.ADD;
        fusion = switch (o.getChoice("fusion", "entropy", "entropy", "batch-entropy", "fixed")) {
            case "entropy" -> EntropyFusion.perSample();
            case "batch-entropy" -> EntropyFusion.perBatch();
            default -> EntropyFusion.fixed(parseWeights(o.getString("weights",
                    joined(EntropyFusion.releasedFixedWeights(ctx.modalities().size()))), ctx.modalities().size()));
        };
        perModalityOptimizers = o.getChoice("optimizers", "shared", "shared", "per-modality").equals("per-modality");
        idleUpdates = o.getBoolean("idle-updates", false);

        if (perModalityOptimizers) {
            for (String m : ctx.modalities()) {
                optimizers.put(m, ctx.newOptimizer(model.encoders.get(m).parameters()));
            }
            optimizers.put("head", ctx.newOptimizer(model.head.parameters()));
        } else {
            optimizers.put("all", ctx.newOptimizer(model.parameters()));
        }
        optimizers.forEach((k, opt) -> schedulers.put(k, ctx.newScheduler(opt, ctx.config().epochs())));
        if (project) {
            projection = new HeadProjection(model.head.inFeatures(), source, normalize, combine);
            headOptimizer().addGradientTransform(projection.transformFor(model.head.weight()));
        }
    }

    private Optimizer headOptimizer() {
        return perModalityOptimizers ? optimizers.get("head") : optimizers.get("all");
    }

    /** The optimizers a step on modality m uses. */
    private List<Optimizer> optimizersFor(String m) {
        return perModalityOptimizers ? List.of(optimizers.get(m), optimizers.get("head")) : List.of(optimizers.get("all"));
    }

    /** The head-gradient projection, or null when {@code projection=none}. */
    public HeadProjection projection() {
        return projection;
    }

    @Override
    public StepStats trainStep(MultimodalBatch batch, StepInfo info) {
        model.train();
        double alpha = OwmProjector.mlaAlpha(Math.max(0, info.batch()), Math.max(1, info.batchesPerEpoch()));
        double total = 0;
        int stepped = 0;
        Map<String, Double> losses = new LinkedHashMap<>();
        Map<String, Tensor> logits = new LinkedHashMap<>();
        for (String m : order) {
            Tensor present = batch.present(m);
            if (!batch.anyPresent(m)) {
                continue;
            }
            optimizers.values().forEach(Optimizer::zeroGrad);
            Variable[] hz = model.forward(m, batch.variable(m));
            Variable loss = MethodSupport.crossEntropyOver(hz[1], batch.labels(), present);
            loss.backward();
            if (idleUpdates) {
                zeroFillIdleGradients();
            }
            Tensor features = Presence.select(hz[0].data(), Presence.rows(present));
            if (projection != null) {
                projection.beforeStep(features, alpha);
            }
            (idleUpdates ? List.copyOf(optimizers.values()) : optimizersFor(m)).forEach(Optimizer::step);
            if (projection != null) {
                projection.afterStep(features, alpha);
            }
            losses.put(m, loss.item());
            logits.put(m, hz[1].data());
            total += loss.item();
            stepped++;
        }
        optimizers.values().forEach(Optimizer::zeroGrad);
        StepStats stats = StepStats.of(stepped == 0 ? 0 : total / stepped);
        losses.forEach(stats::modalityLoss);
        logits.forEach(stats::modalityLogits);
        if (!logits.isEmpty()) {
            // the training accuracy the trainer shows: this batch's logits fused as at test time
            List<Tensor> present = logits.keySet().stream().map(batch::present).toList();
            stats.fusedLogits(fusion.fuse(new ArrayList<>(logits.values()), present));
        }
        return stats;
    }

    /** The released code's behaviour: every parameter gets a (zero) gradient, so the optimizer moves it too. */
    private void zeroFillIdleGradients() {
        for (Parameter p : model.parameters()) {
            if (p.grad() == null && p.requiresGrad()) {
                p.grad(p.data().zerosLike());
            }
        }
    }

    @Override
    public void endEpoch(int epoch) {
        schedulers.values().forEach(LRScheduler::step);
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
                Tensor z = model.forward(m, batch.variable(m))[1].data();
                logits.put(m, z);
                zs.add(z);
                present.add(batch.present(m));
            }
            return new Prediction(fusion.fuse(zs, present), logits);
        }
    }

    /** The fusion weights β {@code [B, M]} for a batch (diagnostics: METHODS.md §7.4). */
    public Tensor fusionWeights(MultimodalBatch batch) {
        Prediction p = predict(batch);
        List<Tensor> present = new ArrayList<>();
        context.modalities().forEach(m -> present.add(batch.present(m)));
        return fusion.weights(new ArrayList<>(p.perModality().values()), present);
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
        optimizers.forEach((k, opt) -> sd.putAll(opt.stateDict().prefixed("optimizer." + k + ".")));
        schedulers.forEach((k, s) -> sd.putAll(s.stateDict().prefixed("scheduler." + k + ".")));
        if (projection != null) {
            sd.putAll(projection.stateDict().prefixed("projection."));
        }
        return sd;
    }

    @Override
    public void loadTrainingState(StateDict state) {
        optimizers.forEach((k, opt) -> opt.loadStateDict(state.section("optimizer." + k + ".")));
        schedulers.forEach((k, s) -> s.loadStateDict(state.section("scheduler." + k + ".")));
        if (projection != null) {
            projection.loadStateDict(state.section("projection."));
        }
    }

    static List<String> parseOrder(String text, List<String> modalities) {
        List<String> out = new ArrayList<>();
        for (String s : text.split(",")) {
            String m = s.trim();
            if (!modalities.contains(m) || out.contains(m)) {
                throw new IllegalArgumentException("--opt order=" + text + ": expected each of " + modalities + " once");
            }
            out.add(m);
        }
        if (out.size() != modalities.size()) {
            throw new IllegalArgumentException("--opt order=" + text + ": expected each of " + modalities + " once");
        }
        return out;
    }

    static double[] parseWeights(String text, int modalities) {
        String[] parts = text.split(",");
        if (parts.length != modalities) {
            throw new IllegalArgumentException("--opt weights=" + text + ": expected " + modalities + " comma-separated numbers");
        }
        double[] w = new double[modalities];
        try {
            for (int i = 0; i < modalities; i++) {
                w[i] = Double.parseDouble(parts[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--opt weights=" + text + ": expected " + modalities + " comma-separated numbers");
        }
        return w;
    }

    private static String joined(double[] w) {
        return String.join(",", Arrays.stream(w).mapToObj(Double::toString).toList());
    }
}
