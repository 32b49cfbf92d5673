package io.tutti.optim;

import io.tutti.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an optimizer remembers about one parameter between steps: named tensors (momentum buffer,
 * Adam's moments) and named scalars (Adam's step count). Empty until the parameter's first update,
 * which is how optimizers detect their first step (SGD initialises its buffer with the gradient).
 */
public final class ParamState {
    private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    private final LinkedHashMap<String, Double> scalars = new LinkedHashMap<>();

    public boolean isEmpty() {
        return tensors.isEmpty() && scalars.isEmpty();
    }

    /** The tensor named {@code name}, or null. */
    public Tensor tensor(String name) {
        return tensors.get(name);
    }

    public void putTensor(String name, Tensor value) {
        tensors.put(name, value);
    }

    /** The scalar named {@code name}, or {@code fallback} when absent. */
    public double scalar(String name, double fallback) {
        Double v = scalars.get(name);
        return v == null ? fallback : v;
    }

    public void putScalar(String name, double value) {
        scalars.put(name, value);
    }

    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    public Map<String, Double> scalars() {
        return Collections.unmodifiableMap(scalars);
    }

    void clear() {
        tensors.clear();
        scalars.clear();
    }
}
