package io.tutti.nn.data;

import io.tutti.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A batch as named tensors that share their first (batch) dimension: {@code "x"} and {@code "y"}
 * for a plain dataset; one tensor per modality, the labels and a presence mask for a multimodal
 * one. A map keeps the loader independent of what a model needs.
 */
public final class Batch {
    private final Map<String, Tensor> fields;
    private final int size;

    public Batch(Map<String, Tensor> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("Batch: needs at least one field");
        }
        int n = -1;
        for (Map.Entry<String, Tensor> e : fields.entrySet()) {
            Tensor t = e.getValue();
            if (e.getKey() == null || t == null) {
                throw new IllegalArgumentException("Batch: null field name or tensor (field " + e.getKey() + ")");
            }
            if (t.dim() == 0) {
                throw new IllegalArgumentException("Batch: field '" + e.getKey() + "' is 0-d; batch fields need a batch dimension");
            }
            if (n >= 0 && t.shape(0) != n) {
                throw new IllegalArgumentException("Batch: field '" + e.getKey() + "' of shape " + Arrays.toString(t.shape())
                        + " has a batch size other than " + n);
            }
            n = t.shape(0);
        }
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        this.size = n;
    }

    /** A batch of alternating names and tensors: {@code Batch.of("x", x, "y", y)}. */
    public static Batch of(Object... namesAndTensors) {
        return new Batch(pairs("Batch", namesAndTensors));
    }

    static Map<String, Tensor> pairs(String what, Object... namesAndTensors) {
        if (namesAndTensors.length % 2 != 0) {
            throw new IllegalArgumentException(what + ": expects name, tensor pairs, got " + namesAndTensors.length + " arguments");
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndTensors.length; i += 2) {
            if (!(namesAndTensors[i] instanceof String name) || !(namesAndTensors[i + 1] instanceof Tensor t)) {
                throw new IllegalArgumentException(what + ": argument " + i + " must be a name followed by a tensor");
            }
            m.put(name, t);
        }
        return m;
    }

    /** The number of examples. */
    public int size() {
        return size;
    }

    public Tensor get(String name) {
        Tensor t = fields.get(name);
        if (t == null) {
            throw new IllegalArgumentException("Batch: no field '" + name + "', fields are " + fields.keySet());
        }
        return t;
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    public Set<String> names() {
        return fields.keySet();
    }

    public Map<String, Tensor> fields() {
        return fields;
    }

    @Override
    public String toString() {
        return "Batch(size=" + size + ", fields=" + fields.keySet() + ")";
    }
}
