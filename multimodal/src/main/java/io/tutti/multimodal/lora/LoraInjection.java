package io.tutti.multimodal.lora;

import io.tutti.nn.Module;
import io.tutti.nn.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link Lora#inject}: the adapters by the name of the layer they adapt, with
 * operations on all of them at once.
 */
public final class LoraInjection {
    private final Module root;
    private final Map<String, LoraAdapter> adapters;

    LoraInjection(Module root, LinkedHashMap<String, LoraAdapter> adapters) {
        this.root = root;
        this.adapters = Collections.unmodifiableMap(adapters);
    }

    /** Adapters by adapted layer name, in module order. */
    public Map<String, LoraAdapter> adapters() {
        return adapters;
    }

    /** A and B of every adapter, in order: what the optimizer trains. */
    public List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        adapters.values().forEach(a -> {
            out.add(a.a());
            out.add(a.b());
        });
        return out;
    }

    /** Merges every adapter into its layer's weight (inference). */
    public void merge() {
        adapters.values().forEach(LoraAdapter::merge);
    }

    /** Undoes {@link #merge()} exactly. */
    public void unmerge() {
        adapters.values().forEach(LoraAdapter::unmerge);
    }

    public long trainableParameterCount() {
        return root.parameterCount(true);
    }

    public long totalParameterCount() {
        return root.parameterCount(false);
    }

    /** E.g. "LoRA on 4 layers: 1,024 trainable of 52,000 parameters (1.97%)". */
    public String summary() {
        long trainable = trainableParameterCount();
        long total = totalParameterCount();
        return String.format("LoRA on %d layers: %,d trainable of %,d parameters (%.2f%%)", adapters.size(), trainable,
                total, total == 0 ? 0.0 : 100.0 * trainable / total);
    }
}
