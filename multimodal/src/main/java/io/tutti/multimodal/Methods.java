package io.tutti.multimodal;

import io.tutti.multimodal.methods.Ensemble;
import io.tutti.multimodal.methods.JointTraining;
import io.tutti.multimodal.methods.Mie;
import io.tutti.multimodal.methods.Mla;
import io.tutti.multimodal.methods.MmLora;
import io.tutti.multimodal.methods.OgmGe;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry of training methods by name, which the {@code tutti} command uses: {@code train
 * --method NAME}, {@code compare --methods a,b}. To add a method, add one {@code register} line
 * (and, if it belongs in the default comparison, its name to {@link #DEFAULT_COMPARISON}).
 */
public final class Methods {
    /** A registered method: its name, a one-line description and a factory of fresh instances. */
    public record Entry(String name, String description, Supplier<Method> factory) {
    }

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        register("joint", "joint training of all encoders and a fusion head on the fused loss (METHODS.md 1)", JointTraining::new);
        register("ensemble", "uni-modal ensemble: each modality trained alone with its own head, fused at test time (METHODS.md 2)",
                Ensemble::new);
        register("ogm-ge", "OGM-GE: on-the-fly gradient modulation with generalisation enhancement (METHODS.md 3)", OgmGe::new);
        register("mmlora", "MMLoRA: uni-modal ensemble, then LoRA in the frozen encoders trained on the summed logits (METHODS.md 5)",
                MmLora::new);
        register("mla", "MLA: alternating uni-modal steps through one shared head with OWM projection, entropy fusion (METHODS.md 4)",
                Mla::new);
        register("mie", "MIE: stage-wise alternation with mixup, SAM and the soft flat gradient projection (METHODS.md 6)", Mie::new);
    }

    /** The methods {@code tutti} compares when run without arguments, in order. */
    public static final List<String> DEFAULT_COMPARISON = List.of("joint", "ensemble", "ogm-ge", "mmlora", "mla", "mie");

    private Methods() {
    }

    private static void register(String name, String description, Supplier<Method> factory) {
        if (REGISTRY.containsKey(name)) {
            throw new IllegalStateException("Methods: '" + name + "' is registered twice");
        }
        REGISTRY.put(name, new Entry(name, description, factory));
    }

    /** The registered names, in registration order. */
    public static List<String> names() {
        return Collections.unmodifiableList(new ArrayList<>(REGISTRY.keySet()));
    }

    /** All entries, in registration order. */
    public static List<Entry> entries() {
        return List.copyOf(REGISTRY.values());
    }

    /** A fresh instance of the named method; an unknown name fails listing the valid ones. */
    public static Method create(String name) {
        Entry e = REGISTRY.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown method '" + name + "'; choose one of " + String.join(", ", names()));
        }
        return e.factory().get();
    }

    public static boolean isRegistered(String name) {
        return REGISTRY.containsKey(name);
    }
}
