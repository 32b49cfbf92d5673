package io.tutti.multimodal.data;

import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.SafetensorsFile;
import io.tutti.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Multimodal data a user brings as one safetensors file: one tensor per modality with samples as
 * the first dimension (the tensor names are the modality names), an integer {@code label} tensor,
 * and optionally a {@code split} tensor (0 train, 1 validation, 2 test). Without {@code split}, a
 * seeded stratified split puts 70% of each class in training and 15% each in validation and test.
 * Features are standardised with training statistics.
 */
public final class FileData {
    public static final String LABEL = "label";
    public static final String SPLIT = "split";

    private FileData() {
    }

    public static MultimodalData load(Path file, long seed) throws IOException {
        LinkedHashMap<String, Tensor> modalities = new LinkedHashMap<>();
        Tensor labels = null;
        Tensor splits = null;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                Tensor t = f.tensor(name);
                if (name.equals(LABEL)) {
                    labels = t;
                } else if (name.equals(SPLIT)) {
                    splits = t;
                } else {
                    modalities.put(name, t.to(DType.FLOAT32));
                }
            }
        }
        String where = "data file " + file;
        if (labels == null) {
            throw new IllegalArgumentException(where + ": no '" + LABEL + "' tensor (one class index per sample)");
        }
        if (labels.dim() != 1 || labels.dtype() != DType.INT32) {
            throw new IllegalArgumentException(where + ": '" + LABEL + "' must be a 1-d integer tensor, got " + labels.dtype() + " "
                    + Arrays.toString(labels.shape()));
        }
        if (modalities.isEmpty()) {
            throw new IllegalArgumentException(where + ": no modality tensors besides '" + LABEL + "'");
        }
        int n = labels.shape(0);
        for (var e : modalities.entrySet()) {
            if (e.getValue().dim() < 2 || e.getValue().shape(0) != n) {
                throw new IllegalArgumentException(where + ": modality '" + e.getKey() + "' has shape " + Arrays.toString(e.getValue().shape())
                        + "; expected [" + n + ", ...] (samples first, matching " + n + " labels)");
            }
        }
        int min = n == 0 ? 0 : (int) labels.min().item();
        if (min < 0) {
            throw new IllegalArgumentException(where + ": label " + min + " is negative");
        }
        int classes = n == 0 ? 2 : Math.max(2, (int) labels.max().item() + 1);
        if (splits == null) {
            splits = stratifiedSplit(labels.toIntArray(), classes, seed);
        } else if (splits.dim() != 1 || splits.shape(0) != n || splits.dtype() != DType.INT32) {
            throw new IllegalArgumentException(where + ": '" + SPLIT + "' must be [" + n + "] integers, got " + splits.dtype() + " "
                    + Arrays.toString(splits.shape()));
        }
        String name = file.getFileName().toString().replaceFirst("\\.safetensors$", "");
        return new MultimodalData(name, modalities, null, labels, splits, classes).standardizedByTrainStatistics();
    }

    /** 70 / 15 / 15 per class, shuffled with {@code seed}; classes too small for all three favour training. */
    static Tensor stratifiedSplit(int[] labels, int classes, long seed) {
        Generator g = new Generator(seed);
        int[] codes = new int[labels.length];
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            int[] order = g.permutation(members.size());
            int nVal = (int) Math.round(members.size() * 0.15);
            int nTest = (int) Math.round(members.size() * 0.15);
            for (int j = 0; j < order.length; j++) {
                int row = members.get(order[j]);
                codes[row] = j < nTest ? Split.TEST.code() : j < nTest + nVal ? Split.VALIDATION.code() : Split.TRAIN.code();
            }
        }
        return Tensor.of(codes, codes.length);
    }
}
