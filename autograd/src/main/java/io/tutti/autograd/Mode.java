package io.tutti.autograd;

/** This thread's autograd switches, kept together so that an op reads one thread-local, not two. */
final class Mode {
    private static final ThreadLocal<Mode> CURRENT = ThreadLocal.withInitial(Mode::new);

    boolean gradEnabled = true;
    boolean anomaly;
    /** The open {@link OpProfile}, or null. */
    OpProfile profile;

    static Mode current() {
        return CURRENT.get();
    }
}
