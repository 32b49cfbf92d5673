package io.tutti.nn.data;

import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the examples of one batch into a {@link Batch}, as {@code collate_fn}. */
@FunctionalInterface
public interface Collate<T> {
    Batch collate(List<T> examples);

    /**
     * Stacks each field of {@link Example}s along a new batch dimension; every example must have the
     * same fields with the same shapes and dtypes.
     */
    static Collate<Example> stack() {
        return examples -> {
            if (examples.isEmpty()) {
                throw new IllegalArgumentException("collate: no examples");
            }
            Example first = examples.get(0);
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : first.names()) {
                List<Tensor> parts = new ArrayList<>(examples.size());
                for (Example e : examples) {
                    if (!e.names().equals(first.names())) {
                        throw new IllegalArgumentException("collate: examples have different fields: " + first.names() + " and "
                                + e.names());
                    }
                    Tensor t = e.get(name);
                    Tensor f = first.get(name);
                    if (!Arrays.equals(t.shape(), f.shape()) || t.dtype() != f.dtype()) {
                        throw new IllegalArgumentException("collate: field '" + name + "' is " + f.dtype() + " "
                                + Arrays.toString(f.shape()) + " in one example and " + t.dtype() + " " + Arrays.toString(t.shape())
                                + " in another");
                    }
                    parts.add(t);
                }
                out.put(name, Tensor.stack(0, parts));
            }
            return new Batch(out);
        };
    }
}
