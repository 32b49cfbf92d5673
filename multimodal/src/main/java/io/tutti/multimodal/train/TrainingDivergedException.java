package io.tutti.multimodal.train;

/** Training stopped because a loss became NaN or infinite; the message names the step, the modality and, if found, the op. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message, Throwable cause) {
        super(message, cause);
    }
}
