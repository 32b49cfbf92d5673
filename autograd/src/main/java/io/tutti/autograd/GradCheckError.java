package io.tutti.autograd;

/**
 * Thrown by {@link GradCheck#check} when analytical and numerical gradients disagree. It is an
 * {@link AssertionError} so that test frameworks report it as a failed check.
 */
public final class GradCheckError extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final transient GradCheck.Mismatch mismatch;

    GradCheckError(GradCheck.Mismatch mismatch) {
        super(mismatch.describe());
        this.mismatch = mismatch;
    }

    /** The failing entry: input, element, analytical and numerical values. */
    public GradCheck.Mismatch mismatch() {
        return mismatch;
    }
}
