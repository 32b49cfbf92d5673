package io.tutti.multimodal.models;

import io.tutti.autograd.Variable;
import io.tutti.nn.Module;
import io.tutti.tensor.Generator;

import java.util.List;
import java.util.Locale;

/**
 * A fusion head (METHODS.md 0.2): maps the features of M modalities, {@code [B, d_m]} each in
 * modality order, to fused logits {@code [B, K]}. Fusions whose classifier splits by modality
 * (concat, sum) also give the head-splitting probe's per-modality logits (METHODS.md 0.3, probe 1).
 */
public abstract class Fusion extends Module {
    /** Fused logits {@code [B, K]} from the features of every modality, in modality order. */
    public abstract Variable forward(List<Variable> features);

    /** Whether {@link #headSplit} is defined (concat and sum). */
    public abstract boolean supportsHeadSplit();

    /**
     * The head-splitting probe's logits of modality {@code m} (index in modality order) from its
     * features alone; fails for fusions without a split classifier.
     */
    public Variable headSplit(int m, Variable feature) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + ": the head-splitting probe needs concat or sum fusion");
    }

    /** The fusion's name ({@code concat}, {@code sum}, {@code film}, {@code gated}). */
    public abstract String kind();

    /**
     * Builds a fusion by name over modalities with feature widths {@code dims}, for {@code classes}
     * classes; Xavier-normal weights and zero biases (METHODS.md 0.2).
     */
    public static Fusion create(String kind, List<String> modalities, int[] dims, int classes, Generator gen) {
        Fusion f;
        switch (kind.toLowerCase(Locale.ROOT)) {
            case "concat":
                f = new ConcatFusion(dims, classes, gen);
                break;
            case "sum":
                f = new SumFusion(modalities, dims, classes, gen);
                break;
            case "film":
                f = new FilmFusion(dims, classes, gen);
                break;
            case "gated":
                f = new GatedFusion(dims, classes, gen);
                break;
            default:
                throw new IllegalArgumentException("unknown fusion '" + kind + "'; choose one of concat, sum, film, gated");
        }
        return WeightInit.apply(f, gen);
    }

    static void checkFeatures(String op, List<Variable> features, int[] dims) {
        if (features.size() != dims.length) {
            throw new IllegalArgumentException(op + ": expects features of " + dims.length + " modalities, got " + features.size());
        }
        for (int i = 0; i < dims.length; i++) {
            Variable h = features.get(i);
            if (h.dim() != 2 || h.shape(1) != dims[i]) {
                throw new IllegalArgumentException(op + ": features of modality " + i + " must be [B, " + dims[i] + "], got "
                        + java.util.Arrays.toString(h.shape()));
            }
        }
    }
}
