package io.tutti.multimodal.methods;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.multimodal.Method;
import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.Prediction;
import io.tutti.multimodal.StepInfo;
import io.tutti.multimodal.StepStats;
import io.tutti.nn.Losses;
import io.tutti.nn.Module;
import io.tutti.optim.LRScheduler;
import io.tutti.optim.Optimizer;
import io.tutti.optim.StateDict;
import io.tutti.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joint training (METHODS.md 1): every encoder and the fusion head ({@code --fusion concat|sum|film|gated})
 * trained together on the cross entropy of the fused logits, one optimizer over all parameters, the
 * LR schedule stepped once per epoch.
 *
 * <p>Missing modalities: the absent modality's features are zero-filled before fusion (in training
 * and at test time), so the model predicts from what is present. Per-modality logits come from the
 * head-splitting probe for concat and sum; for FiLM and gated fusion there is none, and the evaluator
 * measures per-modality accuracy by linear probing of the frozen encoders.
 *
 * <p>Subclasses (OGM-GE) hook in between backward and the optimizer step with {@link #beforeStep}.
 */
public class JointTraining implements Method {
    protected MethodContext context;
    protected JointModel model;
    protected Optimizer optimizer;
    protected LRScheduler scheduler;

    @Override
    public String name() {
        return "joint";
    }

    @Override
    public void init(MethodContext ctx) {
        this.context = ctx;
        this.model = new JointModel(ctx);
        this.optimizer = ctx.newOptimizer(model.parameters());
        this.scheduler = ctx.newScheduler(optimizer, ctx.config().epochs());
    }

    @Override
    public StepStats trainStep(MultimodalBatch batch, StepInfo info) {
        model.train();
        optimizer.zeroGrad();
        List<Variable> features = model.features(batch);
        Variable fused = model.fusion().forward(features);
        Variable loss = Losses.crossEntropy(fused, batch.labels());
        loss.backward();
        Map<String, Tensor> split = headSplitLogits(features);
        beforeStep(batch, info, split);
        optimizer.step();
        StepStats stats = StepStats.of(loss.item()).fusedLogits(fused.data());
        split.forEach(stats::modalityLogits);
        return stats;
    }

    /**
     * Called after backward and before the optimizer step with the head-split logits of the step
     * (empty for fusions without a split); gradients may be rewritten here. Does nothing by default.
     */
    protected void beforeStep(MultimodalBatch batch, StepInfo info, Map<String, Tensor> headSplitLogits) {
    }

    /** The head-splitting probe's logits from the step's features (no graph), empty without a split classifier. */
    @SuppressWarnings("try")
    protected Map<String, Tensor> headSplitLogits(List<Variable> features) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (!model.fusion().supportsHeadSplit()) {
            return out;
        }
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            List<String> mods = model.modalities();
            for (int i = 0; i < mods.size(); i++) {
                out.put(mods.get(i), model.fusion().headSplit(i, features.get(i).detach()).data());
            }
        }
        return out;
    }

    @Override
    public void endEpoch(int epoch) {
        scheduler.step();
    }

    @Override
    @SuppressWarnings("try")
    public Prediction predict(MultimodalBatch batch) {
        model.eval();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            List<Variable> features = model.features(batch);
            Tensor fused = model.fusion().forward(features).data();
            return new Prediction(fused, headSplitLogits(features));
        }
    }

    @Override
    public Module model() {
        return model;
    }

    @Override
    public Map<String, Encoder> encoders() {
        return model.encoders().asMap();
    }

    @Override
    public String probe() {
        return model.fusion().supportsHeadSplit() ? "head-split" : "linear-probe";
    }

    @Override
    public StateDict trainingState() {
        StateDict sd = new StateDict();
        sd.putAll(optimizer.stateDict().prefixed("optimizer."));
        sd.putAll(scheduler.stateDict().prefixed("scheduler."));
        return sd;
    }

    @Override
    public void loadTrainingState(StateDict state) {
        optimizer.loadStateDict(state.section("optimizer."));
        scheduler.loadStateDict(state.section("scheduler."));
    }
}
