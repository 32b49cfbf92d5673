package io.tutti.autograd;

/** Returned by {@link Variable#registerHook}: removes the hook again. */
@FunctionalInterface
public interface HookHandle {
    void remove();
}
