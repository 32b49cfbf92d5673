package io.tutti.autograd;

/** This thread's autograd switches, kept together so that an op reads one thread-local, not two. */
final class Mode {
    private static final ThreadLocal<Mode> CURRENT = ThreadLocal.withInitial(Mode::new);

    boolean gradEnabled = true;
    boolean anomaly;

    static Mode current() {
        return CURRENT.get();
    }
}
