package io.tutti.autograd;

import io.tutti.tensor.Tensor;

import java.util.List;

/**
 * Thread-wide autograd switches and the functional gradient API.
 *
 * <pre>{@code
 * try (var g = Autograd.noGrad()) {
 *     Variable y = model(x);          // records nothing: no graph, no saved tensors
 * }
 * try (var a = Autograd.detectAnomaly()) {
 *     loss.backward();                // the first NaN or infinity names its op and where it was made
 * }
 * }</pre>
 * Scopes belong to the thread that opened them and nest: closing one restores what was there before.
 */
public final class Autograd {
    private Autograd() {
    }

    /** A switch that is undone when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Stops recording graphs on this thread until the scope is closed ({@code torch.no_grad}). */
    public static Scope noGrad() {
        return setGradEnabled(false);
    }

    /** Records graphs again inside a no-grad scope ({@code torch.enable_grad}). */
    public static Scope enableGrad() {
        return setGradEnabled(true);
    }

    private static Scope setGradEnabled(boolean enabled) {
        Mode m = Mode.current();
        boolean previous = m.gradEnabled;
        m.gradEnabled = enabled;
        return () -> m.gradEnabled = previous;
    }

    /** Whether operations on this thread record graphs. */
    public static boolean isGradEnabled() {
        return Mode.current().gradEnabled;
    }

    /**
     * Anomaly mode until the scope is closed: every op checks its result and every backward its
     * gradients for NaN and infinity, and the first one found raises an {@link AnomalyException}
     * naming the op and the place in user code where it was applied. Slow; for debugging.
     */
    public static Scope detectAnomaly() {
        Mode m = Mode.current();
        boolean previous = m.anomaly;
        m.anomaly = true;
        return () -> m.anomaly = previous;
    }

    public static boolean isAnomalyEnabled() {
        return Mode.current().anomaly;
    }

    /**
     * Times every op's forward and backward on this thread until the returned profile is closed
     * ({@code torch.autograd.profiler.profile}); with {@code recordShapes}, ops are told apart by
     * their input shapes too. Costs two clock reads per op while open, nothing once closed.
     */
    public static OpProfile profile(boolean recordShapes) {
        Mode m = Mode.current();
        OpProfile p = new OpProfile(m, recordShapes);
        m.profile = p;
        return p;
    }

    /**
     * The gradients of {@code output} with respect to {@code inputs}, without touching any
     * variable's {@link Variable#grad()} ({@code torch.autograd.grad}). {@code gradOutput} is the
     * gradient to start from (for a one-element output it may be null, meaning 1). An input the
     * output does not depend on gets {@code null}.
     */
    public static List<Tensor> grad(Variable output, List<Variable> inputs, Tensor gradOutput, boolean retainGraph) {
        return Engine.grad(output, inputs, gradOutput, retainGraph);
    }
}
