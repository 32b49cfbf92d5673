package io.tutti.nn.data;

import io.tutti.tensor.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dataset held as named tensors whose first dimension indexes the examples, as
 * {@code torch.utils.data.TensorDataset}: example {@code i} is row {@code i} of every tensor.
 * The {@link DataLoader} gathers its batches with one {@code indexSelect} per field.
 */
public final class TensorDataset implements Dataset<Example> {
    private final Map<String, Tensor> fields;
    private final int size;

    public TensorDataset(Map<String, Tensor> fields) {
        Batch checked = new Batch(fields);   // same checks: non-empty, a shared first dimension
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(checked.fields()));
        this.size = checked.size();
    }

    /** Alternating names and tensors: {@code TensorDataset.of("x", x, "y", y)}. */
    public static TensorDataset of(Object... namesAndTensors) {
        return new TensorDataset(Batch.pairs("TensorDataset", namesAndTensors));
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Example get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("TensorDataset: index " + index + " is out of range for " + size + " examples");
        }
        Map<String, Tensor> row = new LinkedHashMap<>();
        fields.forEach((n, t) -> row.put(n, t.select(0, index)));
        return new Example(row);
    }

    /** The examples at {@code indices}, as one batch. */
    public Batch batch(int[] indices) {
        for (int i : indices) {
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException("TensorDataset: index " + i + " is out of range for " + size + " examples");
            }
        }
        Tensor index = Tensor.of(indices, indices.length);
        Map<String, Tensor> out = new LinkedHashMap<>();
        fields.forEach((n, t) -> out.put(n, t.indexSelect(0, index)));
        return new Batch(out);
    }

    public Map<String, Tensor> fields() {
        return fields;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TensorDataset(size=" + size);
        fields.forEach((n, t) -> sb.append(", ").append(n).append('=').append(Arrays.toString(t.shape())));
        return sb.append(')').toString();
    }
}
