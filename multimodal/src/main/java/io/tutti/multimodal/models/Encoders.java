package io.tutti.multimodal.models;

import io.tutti.multimodal.Encoder;
import io.tutti.multimodal.EncoderFactory;
import io.tutti.tensor.Generator;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encoder factory of the {@code tutti} command. By shape: vectors {@code [D]} get an
 * {@link MlpEncoder}, images and spectrograms {@code [C, H, W]} a {@link CnnEncoder}, sequences
 * {@code [T, D]} a {@link SequenceEncoder}. Per modality the user may choose
 * ({@code --encoder audio=resnet18:16}) among:
 * <ul>
 *   <li>{@code mlp[:HIDDEN]} (vectors; hidden width default 2 x features),</li>
 *   <li>{@code cnn[:WIDTH]} ({@code [C, H, W]} or {@code [H, W]}, treated as one channel; width default 16),</li>
 *   <li>{@code resnet18[:WIDTH]} (same shapes; base width default 16, the papers use 64),</li>
 *   <li>{@code transformer[:LAYERS[:WIDTH]]} (sequences; defaults 2 layers, width 64, 4 heads).</li>
 * </ul>
 */
public final class Encoders implements EncoderFactory {
    /** The encoder kinds a user may name. */
    public static final String[] KINDS = {"mlp", "cnn", "resnet18", "transformer"};

    private final Map<String, String> choices;

    /** A factory with the user's choices by modality (others by shape). */
    public Encoders(Map<String, String> choices) {
        this.choices = new LinkedHashMap<>(choices);
        this.choices.forEach((m, spec) -> checkSpec(m, spec));
    }

    /** A factory that chooses every encoder by shape. */
    public static Encoders byShape() {
        return new Encoders(Map.of());
    }

    /** The default kind for a per-sample shape. */
    public static String defaultKind(int[] shape) {
        switch (shape.length) {
            case 1:
                return "mlp";
            case 2:
                return "transformer";
            case 3:
                return "cnn";
            default:
                throw new IllegalArgumentException("encoders: no encoder for samples of shape " + Arrays.toString(shape)
                        + " (vectors [D], sequences [T, D] and images [C, H, W] are supported)");
        }
    }

    /** The encoder spec used for a modality (the user's choice or the default by shape). */
    public String specFor(String modality, int[] shape) {
        return choices.getOrDefault(modality, defaultKind(shape));
    }

    /** Fails for choices naming modalities the data does not have. */
    public void checkModalities(Iterable<String> modalities) {
        java.util.Set<String> known = new java.util.LinkedHashSet<>();
        modalities.forEach(known::add);
        for (String m : choices.keySet()) {
            if (!known.contains(m)) {
                throw new IllegalArgumentException("--encoder: unknown modality '" + m + "'; the data has " + known);
            }
        }
    }

    @Override
    public Encoder create(String modality, int[] shape, int featureDim, Generator gen) {
        String spec = specFor(modality, shape);
        String[] f = spec.split(":");
        String kind = f[0];
        switch (kind) {
            case "mlp":
                require(modality, spec, shape, 1);
                return new MlpEncoder(shape[0], arg(f, 1, 2 * featureDim, spec), featureDim, gen);
            case "cnn":
            case "resnet18": {
                if (shape.length != 2 && shape.length != 3) {
                    throw new IllegalArgumentException("encoder '" + spec + "' for modality '" + modality + "' needs [C, H, W] or [H, W] samples, got "
                            + Arrays.toString(shape));
                }
                int channels = shape.length == 3 ? shape[0] : 1;
                Encoder inner = kind.equals("cnn")
                        ? new CnnEncoder(channels, arg(f, 1, 16, spec), featureDim, gen)
                        : new ResNetEncoder(channels, arg(f, 1, 16, spec), featureDim, gen);
                return shape.length == 3 ? inner : new ChannelAdder(inner);
            }
            case "transformer":
                require(modality, spec, shape, 2);
                int width = arg(f, 2, 64, spec);
                return new SequenceEncoder(shape[0], shape[1], width, width % 4 == 0 ? 4 : 1, arg(f, 1, 2, spec), featureDim, gen);
            default:
                throw new IllegalArgumentException("unknown encoder '" + kind + "' for modality '" + modality + "'; choose one of "
                        + String.join(", ", KINDS));
        }
    }

    private static void checkSpec(String modality, String spec) {
        String kind = spec.split(":")[0];
        if (!Arrays.asList(KINDS).contains(kind)) {
            throw new IllegalArgumentException("unknown encoder '" + kind + "' for modality '" + modality + "'; choose one of "
                    + String.join(", ", KINDS));
        }
    }

    private static void require(String modality, String spec, int[] shape, int rank) {
        if (shape.length != rank) {
            throw new IllegalArgumentException("encoder '" + spec + "' for modality '" + modality + "' needs " + rank
                    + "-d samples, got " + Arrays.toString(shape));
        }
    }

    private static int arg(String[] f, int i, int fallback, String spec) {
        if (f.length <= i) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(f[i]);
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("encoder '" + spec + "': '" + f[i] + "' is not a positive integer");
        }
    }

    /** Feeds {@code [B, H, W]} samples to an image encoder as one channel. */
    private static final class ChannelAdder extends Encoder {
        private final Encoder inner;

        ChannelAdder(Encoder inner) {
            this.inner = registerModule("net", inner);
        }

        @Override
        public io.tutti.autograd.Variable forward(io.tutti.autograd.Variable x) {
            return inner.forward(x.unsqueeze(1));
        }

        @Override
        public int featureDim() {
            return inner.featureDim();
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }
}
