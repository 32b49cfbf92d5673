package io.tutti.multimodal.data;

import io.tutti.tensor.DType;
import io.tutti.tensor.SafetensorsFile;
import io.tutti.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * AV-MNIST (MNIST digits paired with spoken digits; see {@code shared/data/README.md}) as a
 * {@link MultimodalData} with modalities {@code image} [1, 28, 28] (pixel / 255) and {@code audio}
 * [1, 40, 63] (the stored log-mel features), both standardised with training statistics.
 */
public final class AvMnist {
    /** How samples are divided into train, validation and test. */
    public enum Scheme {
        /**
         * FSDD's seen-speaker split: takes 0-4 of every speaker and digit are the test set, takes 5-9
         * the validation set, the rest (10-49) training.
         */
        OFFICIAL,
        /** Held-out speakers as stored: four speakers train, george validation, lucas test. */
        SPEAKER;

        public static Scheme parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("avmnist: unknown split '" + s + "' (official or speaker)");
            }
        }
    }

    public static final String FILE = "avmnist.safetensors";
    public static final String PAIRS = "avmnist-pairs.csv";

    private AvMnist() {
    }

    /**
     * Loads from {@code dir}, which may be the {@code avmnist} folder itself or a data root holding it.
     */
    public static MultimodalData load(Path dir, Scheme scheme) throws IOException {
        Path folder = Files.isRegularFile(dir.resolve(FILE)) ? dir : dir.resolve("avmnist");
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException("avmnist: no " + FILE + " in " + dir + " or " + dir.resolve("avmnist")
                    + " (pass --data-dir, or set $" + DataDirectory.ENV + ")");
        }
        Tensor image;
        Tensor audio;
        Tensor labels;
        Tensor splits;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            image = f.tensor("image").to(DType.FLOAT32).div(255.0);
            audio = f.tensor("audio_logmel").to(DType.FLOAT32);
            labels = f.tensor("label");
            splits = scheme == Scheme.SPEAKER ? f.tensor("split_speaker") : officialSplits(folder.resolve(PAIRS), f.tensor("split_official"));
        }
        int n = labels.shape(0);
        if (image.dim() != 3 || image.shape(0) != n || audio.dim() != 3 || audio.shape(0) != n) {
            throw new IOException("avmnist: " + file + " has unexpected shapes: image " + java.util.Arrays.toString(image.shape())
                    + ", audio_logmel " + java.util.Arrays.toString(audio.shape()) + " for " + n + " labels");
        }
        LinkedHashMap<String, Tensor> modalities = new LinkedHashMap<>();
        modalities.put("image", image.unsqueeze(1));
        modalities.put("audio", audio.unsqueeze(1));
        return new MultimodalData("avmnist/" + scheme.name().toLowerCase(Locale.ROOT), modalities, null, labels, splits, 10)
                .standardizedByTrainStatistics();
    }

    /** Split codes from each pair's take (in the pairs CSV), checked against the stored train/test column. */
    private static Tensor officialSplits(Path pairsCsv, Tensor storedOfficial) throws IOException {
        if (!Files.isRegularFile(pairsCsv)) {
            throw new IOException("avmnist: the official split needs each pair's take from " + pairsCsv + ", which is missing");
        }
        List<String> lines = Files.readAllLines(pairsCsv, StandardCharsets.UTF_8);
        int n = storedOfficial.shape(0);
        if (lines.size() != n + 1) {
            throw new IOException("avmnist: " + pairsCsv + " has " + (lines.size() - 1) + " rows for " + n + " pairs");
        }
        String[] header = lines.get(0).split(",");
        int takeColumn = List.of(header).indexOf("take");
        if (takeColumn < 0) {
            throw new IOException("avmnist: " + pairsCsv + " has no 'take' column");
        }
        int[] stored = storedOfficial.toIntArray();
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            String[] f = lines.get(i + 1).split(",");
            int take;
            try {
                take = Integer.parseInt(f[takeColumn]);
            } catch (RuntimeException e) {
                throw new IOException("avmnist: " + pairsCsv + " row " + (i + 1) + " has no valid take");
            }
            codes[i] = take <= 4 ? Split.TEST.code() : take <= 9 ? Split.VALIDATION.code() : Split.TRAIN.code();
            boolean storedTest = stored[i] == Split.TEST.code();
            if (storedTest != (take <= 4)) {
                throw new IOException("avmnist: pair " + i + " has take " + take + " but its stored official split is " + stored[i]);
            }
        }
        return Tensor.of(codes, n);
    }
}
