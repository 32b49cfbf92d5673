package io.tutti.multimodal.models;

import io.tutti.nn.Module;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code torch.nn.ModuleDict}: child modules by name, in insertion order, so a method can hold one
 * encoder (or head) per modality under {@code encoders.<modality>.} in its state dict.
 */
public final class ModuleDict<M extends Module> extends Module {
    private final LinkedHashMap<String, M> modules = new LinkedHashMap<>();

    /** Adds a child under {@code name} (no dots; modality names are used as they are). */
    public M put(String name, M module) {
        registerModule(name, module);
        modules.put(name, module);
        return module;
    }

    /** The child named {@code name}; fails naming the children when absent. */
    public M get(String name) {
        M m = modules.get(name);
        if (m == null) {
            throw new IllegalArgumentException("ModuleDict: no module '" + name + "'; it has " + modules.keySet());
        }
        return m;
    }

    public boolean contains(String name) {
        return modules.containsKey(name);
    }

    /** The children by name, in order (a copy). */
    public Map<String, M> asMap() {
        return new LinkedHashMap<>(modules);
    }
}
