package io.tutti.multimodal;

import io.tutti.nn.Module;
import io.tutti.optim.StateDict;

import java.util.List;
import java.util.Map;

/**
 * A multimodal training method (joint training, the uni-modal ensemble, OGM-GE, MMLoRA, MLA, MIE,
 * ...): one class per method, all driven the same way by the shared trainer
 * ({@code io.tutti.multimodal.train.Trainer}):
 *
 * <pre>{@code
 * method.init(context);                               // build models and optimizers
 * for (Phase phase : method.phases(epochs)) {
 *     method.startPhase(phase);
 *     for each epoch of the phase:
 *         for each training batch:  method.trainStep(batch, info);
 *         method.endEpoch(epoch);                     // LR schedules
 *         evaluate method.predict(...) on validation;  method.afterValidation(...)
 *     method.endPhase(phase);                          // after the trainer restored the phase's best state
 * }
 * }</pre>
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #model()} holds every learned tensor (encoders, heads, fusion): it is what checkpoints
 *       save and what best-state selection restores, together with {@link #trainingState()}.</li>
 *   <li>{@link #trainStep} puts the model in training mode itself and performs the whole update
 *       (forward, backward, gradient transforms, optimizer steps).</li>
 *   <li>{@link #predict} puts the model in evaluation mode, records no graph, and must honour the
 *       batch's presence masks: it predicts each sample from the modalities that sample has.</li>
 *   <li>All randomness comes from {@link MethodContext#generator()} (or generators whose positions
 *       are saved in {@link #trainingState()}), so runs are deterministic and resume exactly.</li>
 *   <li>On resume, the trainer calls {@link #init}, replays {@link #startPhase} (and {@link #endPhase}
 *       for finished phases) of the phases up to the resumed epoch, then loads the model's state
 *       dict and {@link #loadTrainingState}: phase methods should change structure (freeze,
 *       new optimizers) deterministically, without depending on learned values.</li>
 * </ul>
 */
public interface Method {
    /** The registry name ({@code joint}, {@code ensemble}, {@code ogm-ge}, ...). */
    String name();

    /** Builds models, optimizers and schedulers; reads the method's options from {@code context.options()}. */
    void init(MethodContext context);

    /** The training phases for a run of {@code epochs} epochs; one phase by default. */
    default List<Phase> phases(int epochs) {
        return List.of(Phase.of("train", epochs));
    }

    /** Called before the first epoch of each phase. */
    default void startPhase(Phase phase) {
    }

    /** One training step on a batch: the whole update. Returns the loss and anything worth showing. */
    StepStats trainStep(MultimodalBatch batch, StepInfo info);

    /** Called after the last step of each epoch ({@code epoch} counted over all phases): step LR schedules here. */
    default void endEpoch(int epoch) {
    }

    /**
     * Called after each epoch's validation with the fused accuracy and the per-modality (probe)
     * accuracies; a method that selects per-modality states itself (the ensemble) may keep them here.
     */
    default void afterValidation(int epoch, double accuracy, Map<String, Double> modalityAccuracy) {
    }

    /** Called at the end of each phase, after the trainer restored the phase's best state (if it selects one). */
    default void endPhase(Phase phase) {
    }

    /** Fused and per-modality logits for a batch, in evaluation mode, without recording a graph. */
    Prediction predict(MultimodalBatch batch);

    /** Everything learned, as one module (saved in checkpoints, restored on best-state selection). */
    Module model();

    /**
     * The modality encoders inside {@link #model()}, by modality, each mapping a batch to features
     * {@code [B, d]}: used for linear probing of frozen encoders (METHODS.md 0.3, probe 2).
     */
    Map<String, Encoder> encoders();

    /** Which uni-modal probe produces the per-modality logits of {@link #predict}: "head-split", "own-head", ... */
    default String probe() {
        return "own-head";
    }

    /** Optimizer, scheduler and any other training state (projectors, counters, generator positions), for exact resume. */
    StateDict trainingState();

    /** Restores what {@link #trainingState()} returned, into a method built by {@link #init} with the same context. */
    void loadTrainingState(StateDict state);
}
