package io.tutti.multimodal.methods;

import io.tutti.nn.Parameter;
import io.tutti.optim.GradientTransform;
import io.tutti.optim.OwmProjector;
import io.tutti.optim.StateDict;
import io.tutti.tensor.Tensor;

/**
 * MLA's gradient modification of the shared head (METHODS.md §4.3, §4.5): the head's weight
 * gradient G becomes G Pᵀ (or G + G Pᵀ), where P is an OWM projector that removes the directions of
 * the features the head has already been fitted to, so that a step on one modality does not undo
 * what the head learned from the others. The bias is not projected, and the very first update of
 * the run is never projected.
 *
 * <p>Which features build P:
 * <ul>
 *   <li>{@link Source#PREVIOUS_MODALITY} (the paper, the default): after each uni-modal step, P is
 *       updated with that step's feature mean r_m; the next step (the next modality) is projected
 *       with it.</li>
 *   <li>{@link Source#CURRENT_BATCH} (the released code): just before projecting modality m's
 *       gradient, P is updated with the same batch's r_m.</li>
 * </ul>
 * α_t = 0.1^(1 + i/N) for batch i of N ({@link OwmProjector#mlaAlpha}). Frobenius normalisation and
 * replace/add are the projector's switches. Use: {@link #beforeStep} between backward and the
 * optimizer step (it arms the transform from {@link #transformFor}), {@link #afterStep} after it.
 */
public final class HeadProjection {
    /** Which features update P. */
    public enum Source { PREVIOUS_MODALITY, CURRENT_BATCH }

    private final OwmProjector projector;
    private final Source source;
    private long steps;
    private boolean armed;

    public HeadProjection(int dim, Source source, boolean frobeniusNormalize, OwmProjector.Mode mode) {
        if (source == null) {
            throw new IllegalArgumentException("HeadProjection: source must not be null");
        }
        this.projector = new OwmProjector(dim, frobeniusNormalize, mode);
        this.source = source;
    }

    public Source source() {
        return source;
    }

    /** The projector (P and its update count). */
    public OwmProjector projector() {
        return projector;
    }

    /** Uni-modal steps taken so far. */
    public long steps() {
        return steps;
    }

    /**
     * Called after backward of a uni-modal loss, before the optimizer step: with the current-batch
     * source, updates P with {@code features} ([n, d], detached); arms the projection unless this is
     * the run's first step.
     */
    public void beforeStep(Tensor features, double alpha) {
        armed = steps > 0;
        if (armed && source == Source.CURRENT_BATCH) {
            projector.update(features, alpha);
        }
    }

    /** Called after the optimizer step: with the previous-modality source, updates P with this step's features. */
    public void afterStep(Tensor features, double alpha) {
        armed = false;
        if (source == Source.PREVIOUS_MODALITY) {
            projector.update(features, alpha);
        }
        steps++;
    }

    /** A gradient transform for the head's weight, active between {@link #beforeStep} and {@link #afterStep}. */
    public GradientTransform transformFor(Parameter weight) {
        return GradientTransform.perParameter((p, g) -> p == weight && armed ? projector.project(g) : null);
    }

    public StateDict stateDict() {
        return projector.stateDict().prefixed("owm.").putLong("steps", steps);
    }

    public void loadStateDict(StateDict sd) {
        projector.loadStateDict(sd.section("owm."));
        steps = sd.getLong("steps");
        armed = false;
    }
}
