package io.tutti.nn.data;

import io.tutti.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One example as named tensors (for a multimodal dataset: {@code "audio"}, {@code "image"},
 * {@code "label"}, ...), each without the batch dimension; {@link Collate#stack()} stacks examples
 * into a {@link Batch}. A label is a 0-d int32 tensor.
 */
public final class Example {
    private final Map<String, Tensor> fields;

    public Example(Map<String, Tensor> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("Example: needs at least one field");
        }
        fields.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("Example: null field name or tensor (field " + k + ")");
            }
        });
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** An example of alternating names and tensors: {@code Example.of("x", x, "label", y)}. */
    public static Example of(Object... namesAndTensors) {
        return new Example(Batch.pairs("Example", namesAndTensors));
    }

    public Tensor get(String name) {
        Tensor t = fields.get(name);
        if (t == null) {
            throw new IllegalArgumentException("Example: no field '" + name + "', fields are " + fields.keySet());
        }
        return t;
    }

    public Set<String> names() {
        return fields.keySet();
    }

    public Map<String, Tensor> fields() {
        return fields;
    }

    @Override
    public String toString() {
        return "Example" + fields.keySet();
    }
}
