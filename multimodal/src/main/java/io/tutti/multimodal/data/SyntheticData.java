package io.tutti.multimodal.data;

import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * The built-in synthetic multimodal data: K classes and any number of vector modalities, each with
 * its own dimension and informativeness, so the imbalance between modalities is whatever the user
 * sets. Needs no files and is a pure function of its settings and seed.
 *
 * <p>Each modality m has a prototype vector per class (random directions of norm {@code separation}).
 * A sample of class y shows, in modality m, the prototype of class y with probability
 * {@code informativeness_m} and the prototype of a uniformly random class otherwise, plus standard
 * normal noise. A modality's best possible accuracy alone is therefore about
 * {@code informativeness + (1 - informativeness) / K}, and modalities that err on different samples
 * complement each other.
 */
public final class SyntheticData {
    /** One modality: its name, dimension, and the probability that it shows the true class. */
    public record ModalitySpec(String name, int dim, double informativeness) {
        public ModalitySpec {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("synthetic: modality name must not be blank");
            }
            if (dim < 1) {
                throw new IllegalArgumentException("synthetic: modality '" + name + "' needs a positive dimension, got " + dim);
            }
            if (!(informativeness >= 0 && informativeness <= 1)) {
                throw new IllegalArgumentException("synthetic: informativeness of '" + name + "' must be in [0, 1], got " + informativeness);
            }
        }
    }

    /** The settings of a synthetic data set. */
    public record Spec(int numClasses, List<ModalitySpec> modalities, int train, int validation, int test, double separation) {
        public Spec {
            if (numClasses < 2) {
                throw new IllegalArgumentException("synthetic: needs at least 2 classes, got " + numClasses);
            }
            if (modalities.isEmpty()) {
                throw new IllegalArgumentException("synthetic: needs at least one modality");
            }
            if (train < 1 || validation < 0 || test < 0) {
                throw new IllegalArgumentException("synthetic: split sizes must be positive (train " + train + ", validation "
                        + validation + ", test " + test + ")");
            }
            modalities = List.copyOf(modalities);
        }

        /**
         * The default of the main job: 10 classes, a strong modality (informativeness 0.9) and a weak
         * one (0.5), 32 dimensions each, 3000 / 1000 / 1000 samples.
         */
        public static Spec strongAndWeak() {
            return new Spec(10, List.of(new ModalitySpec("strong", 32, 0.9), new ModalitySpec("weak", 32, 0.5)),
                    3000, 1000, 1000, 5.0);
        }

        /**
         * Parses {@code name:dim:informativeness,...}, e.g. {@code a:32:0.9,b:16:0.5,c:8:0.3}; the other
         * settings are the defaults of {@link #strongAndWeak()}.
         */
        public static Spec parse(String text) {
            List<ModalitySpec> mods = new ArrayList<>();
            for (String part : text.split(",")) {
                String[] f = part.trim().split(":");
                if (f.length != 3) {
                    throw new IllegalArgumentException("synthetic: modality '" + part + "' should be name:dim:informativeness");
                }
                try {
                    mods.add(new ModalitySpec(f[0], Integer.parseInt(f[1]), Double.parseDouble(f[2])));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("synthetic: modality '" + part + "' has a malformed number");
                }
            }
            Spec d = strongAndWeak();
            return new Spec(d.numClasses(), mods, d.train(), d.validation(), d.test(), d.separation());
        }
    }

    private SyntheticData() {
    }

    /** Generates the data set described by {@code spec} from {@code seed}. */
    public static MultimodalData generate(Spec spec, long seed) {
        Generator g = new Generator(seed);
        int n = spec.train() + spec.validation() + spec.test();
        int k = spec.numClasses();
        int[] labels = new int[n];
        int[] splits = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = g.nextInt(k);
            splits[i] = i < spec.train() ? 0 : i < spec.train() + spec.validation() ? 1 : 2;
        }
        LinkedHashMap<String, Tensor> modalities = new LinkedHashMap<>();
        for (ModalitySpec m : spec.modalities()) {
            Tensor prototypes = g.randn(k, m.dim());
            prototypes = prototypes.div(prototypes.norm(2, new int[] {1}, true)).mul(spec.separation());
            int[] shown = new int[n];
            for (int i = 0; i < n; i++) {
                shown[i] = g.nextDouble() < m.informativeness() ? labels[i] : g.nextInt(k);
            }
            Tensor x = prototypes.indexSelect(0, Tensor.of(shown, n)).add(g.randn(n, m.dim()));
            modalities.put(m.name(), x);
        }
        String name = "synthetic(" + spec.modalities().stream()
                .map(m -> String.format(Locale.ROOT, "%s:%d:%.2f", m.name(), m.dim(), m.informativeness()))
                .reduce((a, b) -> a + "," + b).orElse("") + ")";
        return new MultimodalData(name, modalities, null, Tensor.of(labels, n), Tensor.of(splits, n), k);
    }
}
