package io.tutti.multimodal;

import io.tutti.autograd.Variable;
import io.tutti.nn.data.Batch;
import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One batch of multimodal samples, as every {@link Method} sees it: per modality (in a fixed order)
 * an input tensor {@code [B, ...]} and a presence mask {@code [B]} (float, 1 = the sample has that
 * modality, 0 = missing, in which case the input rows are zeros), plus the int32 labels {@code [B]}.
 *
 * <p>Built by {@link MultimodalLoader} from a {@link io.tutti.multimodal.data.MultimodalData}
 * through {@code nn.data}'s {@link io.tutti.nn.data.DataLoader}, or directly for tests.
 */
public final class MultimodalBatch {
    /** The prefix of presence-mask fields in the underlying {@link Batch}. */
    public static final String PRESENT_PREFIX = "present:";
    /** The name of the label field in the underlying {@link Batch}. */
    public static final String LABEL = "label";

    private final LinkedHashMap<String, Tensor> inputs;
    private final LinkedHashMap<String, Tensor> present;
    private final Tensor labels;
    private final int size;

    /**
     * @param inputs  modality -> {@code [B, ...]} float tensor, in modality order
     * @param present modality -> {@code [B]} mask (1 present, 0 missing); a missing entry or null map means all present
     * @param labels  {@code [B]} int32 class indices
     */
    public MultimodalBatch(Map<String, Tensor> inputs, Map<String, Tensor> present, Tensor labels) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("MultimodalBatch: needs at least one modality");
        }
        if (labels == null || labels.dim() != 1) {
            throw new IllegalArgumentException("MultimodalBatch: labels must be a 1-d tensor, got "
                    + (labels == null ? "null" : Arrays.toString(labels.shape())));
        }
        this.size = labels.shape(0);
        this.labels = labels.dtype() == DType.INT32 ? labels : labels.to(DType.INT32);
        this.inputs = new LinkedHashMap<>();
        this.present = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            Tensor x = e.getValue();
            if (x.dim() < 1 || x.shape(0) != size) {
                throw new IllegalArgumentException("MultimodalBatch: modality '" + e.getKey() + "' has shape "
                        + Arrays.toString(x.shape()) + " for " + size + " labels");
            }
            this.inputs.put(e.getKey(), x);
            Tensor mask = present == null ? null : present.get(e.getKey());
            if (mask == null) {
                mask = Tensor.ones(DType.FLOAT32, size);
            } else if (mask.dim() != 1 || mask.shape(0) != size) {
                throw new IllegalArgumentException("MultimodalBatch: presence mask of '" + e.getKey() + "' must be [" + size + "], got "
                        + Arrays.toString(mask.shape()));
            }
            this.present.put(e.getKey(), mask.dtype() == DType.FLOAT32 ? mask : mask.to(DType.FLOAT32));
        }
    }

    /** Reads a batch made by {@link MultimodalLoader}: fields {@code m}, {@code present:m} and {@code label}. */
    public static MultimodalBatch from(Batch batch, List<String> modalities) {
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
        LinkedHashMap<String, Tensor> pr = new LinkedHashMap<>();
        for (String m : modalities) {
            in.put(m, batch.get(m));
            if (batch.has(PRESENT_PREFIX + m)) {
                pr.put(m, batch.get(PRESENT_PREFIX + m));
            }
        }
        return new MultimodalBatch(in, pr, batch.get(LABEL));
    }

    /** The modality names, in order. */
    public List<String> modalities() {
        return Collections.unmodifiableList(new ArrayList<>(inputs.keySet()));
    }

    /** The input of one modality, {@code [B, ...]} (zeros where the modality is missing). */
    public Tensor input(String modality) {
        Tensor t = inputs.get(modality);
        if (t == null) {
            throw new IllegalArgumentException("MultimodalBatch: unknown modality '" + modality + "'; the batch has " + modalities());
        }
        return t;
    }

    /** The input of one modality as a constant {@link Variable}. */
    public Variable variable(String modality) {
        return new Variable(input(modality));
    }

    /** {@code [B]} float mask: 1 where the sample has the modality. */
    public Tensor present(String modality) {
        input(modality);
        return present.get(modality);
    }

    /** Whether every sample of the batch has the modality. */
    public boolean allPresent(String modality) {
        return present(modality).min().item() > 0;
    }

    /** Whether at least one sample of the batch has the modality. */
    public boolean anyPresent(String modality) {
        return present(modality).max().item() > 0;
    }

    /** The modalities present in at least one sample, in order. */
    public List<String> presentModalities() {
        List<String> out = new ArrayList<>();
        for (String m : inputs.keySet()) {
            if (anyPresent(m)) {
                out.add(m);
            }
        }
        return out;
    }

    /** {@code [B]} int32 class indices. */
    public Tensor labels() {
        return labels;
    }

    /** The number of samples. */
    public int size() {
        return size;
    }

    /** All inputs by modality, in order (unmodifiable). */
    public Map<String, Tensor> inputs() {
        return Collections.unmodifiableMap(inputs);
    }

    /** All presence masks by modality, in order (unmodifiable). */
    public Map<String, Tensor> presence() {
        return Collections.unmodifiableMap(present);
    }

    /**
     * A copy in which {@code modality} is missing where {@code drop [B]} is non-zero: presence set
     * to 0 and the input rows zeroed (what missing-modality evaluation does).
     */
    public MultimodalBatch dropping(String modality, Tensor drop) {
        Tensor keep = Tensor.where(drop.ne(drop.zerosLike()), drop.zerosLike(), drop.onesLike()).to(DType.FLOAT32);
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>(inputs);
        LinkedHashMap<String, Tensor> pr = new LinkedHashMap<>(present);
        Tensor x = input(modality);
        int[] shape = new int[x.dim()];
        Arrays.fill(shape, 1);
        shape[0] = size;
        in.put(modality, x.mul(keep.to(x.dtype()).reshape(shape)));
        pr.put(modality, present.get(modality).mul(keep));
        return new MultimodalBatch(in, pr, labels);
    }

    /** The same batch with only the given modalities (the others left out entirely). */
    public MultimodalBatch only(List<String> keep) {
        LinkedHashMap<String, Tensor> in = new LinkedHashMap<>();
        LinkedHashMap<String, Tensor> pr = new LinkedHashMap<>();
        for (String m : keep) {
            in.put(m, input(m));
            pr.put(m, present.get(m));
        }
        return new MultimodalBatch(in, pr, labels);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("MultimodalBatch(size=" + size);
        inputs.forEach((m, t) -> sb.append(", ").append(m).append(Arrays.toString(t.shape())));
        return sb.append(')').toString();
    }
}
