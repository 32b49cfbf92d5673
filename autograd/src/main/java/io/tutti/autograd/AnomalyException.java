package io.tutti.autograd;

/**
 * Raised in anomaly mode ({@link Autograd#detectAnomaly()}) when an op's result or gradient holds
 * NaN or infinity. The message names the op; when the op was recorded in anomaly mode, the cause is
 * a throwable whose stack trace is the place where the op was applied.
 */
public final class AnomalyException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    private final String op;

    AnomalyException(String op, String message, Throwable createdAt) {
        super(message);
        this.op = op;
        if (createdAt != null) {
            initCause(createdAt);
        }
    }

    /** The name of the op that produced the value ({@code log}, {@code div}, ...). */
    public String op() {
        return op;
    }
}
