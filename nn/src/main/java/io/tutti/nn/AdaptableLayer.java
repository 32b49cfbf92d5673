package io.tutti.nn;

import io.tutti.autograd.Variable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A layer that accepts {@link Adapter}s (LoRA branches): subclasses compute their plain output and
 * pass it through {@link #adapted}, which applies the attached adapters in order.
 */
public abstract class AdaptableLayer extends Layer {
    private final List<Adapter> adapters = new ArrayList<>();

    /**
     * Attaches an adapter as a child named {@code name}: from now on the output is the adapter's
     * {@link Adapter#adapt} of the plain output. Returns the adapter.
     */
    public <A extends Adapter> A addAdapter(String name, A adapter) {
        adapters.add(registerModule(name, Objects.requireNonNull(adapter, getClass().getSimpleName() + ": adapter")));
        return adapter;
    }

    /** Detaches an adapter attached with {@link #addAdapter}; the layer computes what it did before. */
    public void removeAdapter(Adapter adapter) {
        if (!adapters.remove(adapter)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the adapter is not attached");
        }
        namedChildren().entrySet().stream().filter(e -> e.getValue() == adapter).map(Map.Entry::getKey).findFirst()
                .ifPresent(this::unregisterModule);
    }

    /** The attached adapters, in the order they are applied. */
    public List<Adapter> adapters() {
        return Collections.unmodifiableList(adapters);
    }

    /** The layer's output {@code y} for input {@code x} after every attached adapter. */
    protected final Variable adapted(Variable x, Variable y) {
        Variable out = y;
        for (Adapter a : adapters) {
            out = a.adapt(x, out);
        }
        return out;
    }
}
