package io.tutti.multimodal.lora;

import io.tutti.nn.Adapter;
import io.tutti.nn.Conv2d;
import io.tutti.nn.Linear;
import io.tutti.nn.Module;
import io.tutti.nn.Parameter;
import io.tutti.tensor.Generator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Adds LoRA to layers: one layer at a time ({@link #adapt(Linear, LoraConfig, Generator)}), or every
 * {@link Linear} and {@link Conv2d} of a module whose dotted name matches the configured patterns,
 * freezing everything else ({@link #inject}).
 */
public final class Lora {
    /** The child name under which an adapter is attached: keys {@code <layer>.lora.A}, {@code <layer>.lora.B}. */
    public static final String CHILD = "lora";

    private Lora() {
    }

    /** Attaches LoRA to a linear layer (the layer is not frozen here). */
    public static LoraLinear adapt(Linear layer, LoraConfig config, Generator gen) {
        requireUnadapted(layer.adapters());
        return layer.addAdapter(CHILD, new LoraLinear(layer, config, gen));
    }

    /** Attaches LoRA to a 2-d convolution (the layer is not frozen here). */
    public static LoraConv2d adapt(Conv2d layer, LoraConfig config, Generator gen) {
        requireUnadapted(layer.adapters());
        return layer.addAdapter(CHILD, new LoraConv2d(layer, config, gen));
    }

    private static void requireUnadapted(List<Adapter> adapters) {
        if (adapters.stream().anyMatch(a -> a instanceof LoraAdapter)) {
            throw new IllegalArgumentException("LoRA: the layer already has a LoRA adapter");
        }
    }

    /**
     * Freezes every parameter of {@code root}, then attaches LoRA to each {@link Linear} and
     * {@link Conv2d} whose name (a key of {@code root.namedModules()}) matches one of
     * {@code config.targets()}. Only the adapters' A and B are left trainable. Layers of other types
     * that match are skipped; a configuration that adapts nothing is an error that lists the layers
     * that could have been chosen.
     */
    public static LoraInjection inject(Module root, LoraConfig config, Generator gen) {
        Objects.requireNonNull(root, "LoRA: module");
        Objects.requireNonNull(config, "LoRA: config");
        Objects.requireNonNull(gen, "LoRA: generator");
        List<ModulePattern> patterns = config.targets().stream().map(ModulePattern::of).toList();
        Map<String, Module> candidates = new LinkedHashMap<>();
        root.namedModules().forEach((name, m) -> {
            if (m instanceof Linear || m instanceof Conv2d) {
                candidates.put(name, m);
            }
        });
        List<String> chosen = new ArrayList<>();
        candidates.forEach((name, m) -> {
            if (patterns.stream().anyMatch(p -> p.matches(name))) {
                chosen.add(name);
            }
        });
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("LoRA: no linear or convolution layer matches " + config.targets()
                    + "; the layers are " + candidates.keySet());
        }
        root.requiresGrad(false);
        LinkedHashMap<String, LoraAdapter> adapters = new LinkedHashMap<>();
        for (String name : chosen) {
            Module m = candidates.get(name);
            LoraAdapter a = m instanceof Linear l ? adapt(l, config, gen) : adapt((Conv2d) m, config, gen);
            a.requiresGrad(true);
            adapters.put(name, a);
        }
        return new LoraInjection(root, adapters);
    }

    /** The number of parameter elements that require a gradient. */
    public static long trainableParameterCount(Module module) {
        return module.parameterCount(true);
    }

    /** Every LoRA parameter (A and B of each adapter) under {@code module}. */
    public static List<Parameter> loraParameters(Module module) {
        List<Parameter> out = new ArrayList<>();
        module.namedModules().values().forEach(m -> {
            if (m instanceof LoraAdapter a) {
                out.add(a.a());
                out.add(a.b());
            }
        });
        return out;
    }
}
