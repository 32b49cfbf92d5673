package io.tutti.multimodal.data;

import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A multimodal data set held in memory: for each named modality one float tensor whose first
 * dimension is the sample, an int32 label per sample, the split each sample belongs to, and a
 * presence mask per modality (1 where the sample has that modality). Any number of modalities is
 * allowed. Instances are immutable; {@link #subset} and {@link #split} return views of the rows.
 */
public final class MultimodalData {
    private final String name;
    private final LinkedHashMap<String, Tensor> modalities;
    private final LinkedHashMap<String, Tensor> present;
    private final Tensor labels;
    private final Tensor splits;
    private final int numClasses;

    /**
     * @param modalities one float tensor per modality, samples first, in the order given
     * @param present    per modality, a [N] float tensor of 1 (present) / 0 (missing); null means all present
     * @param labels     [N] int32 class indices in 0..numClasses-1
     * @param splits     [N] int32 split codes ({@link Split#code()})
     */
    public MultimodalData(String name, Map<String, Tensor> modalities, Map<String, Tensor> present, Tensor labels,
                          Tensor splits, int numClasses) {
        this.name = name;
        if (modalities.isEmpty()) {
            throw new IllegalArgumentException("data '" + name + "': needs at least one modality");
        }
        if (labels.dim() != 1 || labels.dtype() != DType.INT32) {
            throw new IllegalArgumentException("data '" + name + "': labels must be a 1-d int32 tensor, got " + labels.dtype() + " "
                    + Arrays.toString(labels.shape()));
        }
        int n = labels.shape(0);
        if (splits.dim() != 1 || splits.shape(0) != n || splits.dtype() != DType.INT32) {
            throw new IllegalArgumentException("data '" + name + "': splits must be [" + n + "] int32, got " + splits.dtype() + " "
                    + Arrays.toString(splits.shape()));
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("data '" + name + "': needs at least 2 classes, got " + numClasses);
        }
        if (n > 0) {
            int lo = (int) labels.min().item();
            int hi = (int) labels.max().item();
            if (lo < 0 || hi >= numClasses) {
                throw new IllegalArgumentException("data '" + name + "': label " + (lo < 0 ? lo : hi) + " is out of range 0.."
                        + (numClasses - 1));
            }
            int slo = (int) splits.min().item();
            int shi = (int) splits.max().item();
            if (slo < 0 || shi > 2) {
                throw new IllegalArgumentException("data '" + name + "': split code " + (slo < 0 ? slo : shi)
                        + " is not 0 (train), 1 (validation) or 2 (test)");
            }
        }
        this.modalities = new LinkedHashMap<>();
        this.present = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : modalities.entrySet()) {
            Tensor t = e.getValue();
            if (t.dim() < 1 || t.shape(0) != n) {
                throw new IllegalArgumentException("data '" + name + "': modality '" + e.getKey() + "' has shape "
                        + Arrays.toString(t.shape()) + " but there are " + n + " labels (samples must be the first dimension)");
            }
            if (!t.dtype().isFloating()) {
                throw new IllegalArgumentException("data '" + name + "': modality '" + e.getKey() + "' must be floating, got " + t.dtype());
            }
            this.modalities.put(e.getKey(), t);
            Tensor mask = present == null ? null : present.get(e.getKey());
            if (mask == null) {
                mask = Tensor.ones(DType.FLOAT32, n);
            } else if (mask.dim() != 1 || mask.shape(0) != n) {
                throw new IllegalArgumentException("data '" + name + "': presence mask of '" + e.getKey() + "' must be [" + n + "]");
            }
            this.present.put(e.getKey(), mask.to(DType.FLOAT32));
        }
        this.labels = labels;
        this.splits = splits;
        this.numClasses = numClasses;
    }

    public String name() {
        return name;
    }

    /** The modality names, in order. */
    public List<String> modalityNames() {
        return Collections.unmodifiableList(new ArrayList<>(modalities.keySet()));
    }

    /** All samples of one modality, samples first. */
    public Tensor modality(String modality) {
        Tensor t = modalities.get(modality);
        if (t == null) {
            throw new IllegalArgumentException("data '" + name + "': unknown modality '" + modality + "'; it has " + modalityNames());
        }
        return t;
    }

    /** The per-sample shape of a modality (its tensor's shape without the sample dimension). */
    public int[] sampleShape(String modality) {
        int[] s = modality(modality).shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    /** [N] float: 1 where the sample has the modality. */
    public Tensor present(String modality) {
        modality(modality);
        return present.get(modality);
    }

    public Tensor labels() {
        return labels;
    }

    public Tensor splits() {
        return splits;
    }

    public int numClasses() {
        return numClasses;
    }

    public int size() {
        return labels.shape(0);
    }

    /** The samples of one split. */
    public MultimodalData split(Split split) {
        int[] codes = splits.toIntArray();
        int count = 0;
        for (int c : codes) {
            if (c == split.code()) {
                count++;
            }
        }
        int[] rows = new int[count];
        int k = 0;
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == split.code()) {
                rows[k++] = i;
            }
        }
        return subset(rows, name + "/" + split.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** The given rows, in the given order. */
    public MultimodalData subset(int[] rows, String subsetName) {
        Tensor index = Tensor.of(rows, rows.length);
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        LinkedHashMap<String, Tensor> p = new LinkedHashMap<>();
        for (String k : modalities.keySet()) {
            m.put(k, modalities.get(k).indexSelect(0, index));
            p.put(k, present.get(k).indexSelect(0, index));
        }
        return new MultimodalData(subsetName, m, p, labels.indexSelect(0, index), splits.indexSelect(0, index), numClasses);
    }

    /** A copy with one modality's tensor replaced (same number of samples), e.g. after standardisation. */
    public MultimodalData withModality(String modality, Tensor values) {
        modality(modality);
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>(modalities);
        m.put(modality, values);
        return new MultimodalData(name, m, present, labels, splits, numClasses);
    }

    /** A copy with one modality's presence mask replaced (missing-modality evaluation). */
    public MultimodalData withPresence(String modality, Tensor mask) {
        modality(modality);
        LinkedHashMap<String, Tensor> p = new LinkedHashMap<>(present);
        p.put(modality, mask);
        return new MultimodalData(name, modalities, p, labels, splits, numClasses);
    }

    /**
     * Standardises every modality with statistics of the training split only, so nothing leaks from
     * validation or test: vector modalities per feature, images and sequences with one mean and
     * standard deviation for the whole modality (as convolutional inputs usually are). Constant
     * features are centred but not scaled.
     */
    public MultimodalData standardizedByTrainStatistics() {
        MultimodalData train = split(Split.TRAIN);
        if (train.size() == 0) {
            throw new IllegalArgumentException("data '" + name + "': cannot standardise without training samples");
        }
        MultimodalData out = this;
        for (String k : modalities.keySet()) {
            Tensor t = train.modality(k);
            int[] dims = t.dim() == 2 ? new int[] {0} : null;
            Tensor mean = t.mean(dims, true);
            Tensor std = t.std(dims, 0, true);
            std = Tensor.where(std.gt(1e-12), std, std.onesLike());
            Tensor values = modalities.get(k).sub(mean).div(std);
            out = out.withModality(k, values);
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(": ").append(size()).append(" samples, ").append(numClasses)
                .append(" classes; ");
        modalities.forEach((k, t) -> sb.append(k).append(Arrays.toString(sampleShape(k))).append(' '));
        return sb.toString().trim();
    }
}
