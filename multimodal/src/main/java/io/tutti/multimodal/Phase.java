package io.tutti.multimodal;

/**
 * One stage of a method's training, run by the trainer for {@code epochs} epochs: most methods
 * have a single phase; multi-stage ones (MMLoRA's two stages, MIE's stages) return several from
 * {@link Method#phases(int)}.
 *
 * @param name       shown in logs and recorded in the training history
 * @param epochs     how many epochs the phase runs (may be 0)
 * @param selectBest at the end of the phase, restore the state that scored best on the validation
 *                   split during the phase (model and training state); otherwise keep the last
 */
public record Phase(String name, int epochs, boolean selectBest) {
    public Phase {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Phase: name must not be blank");
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("Phase '" + name + "': epochs must be non-negative, got " + epochs);
        }
    }

    /** A phase that selects its best epoch on validation. */
    public static Phase of(String name, int epochs) {
        return new Phase(name, epochs, true);
    }
}
