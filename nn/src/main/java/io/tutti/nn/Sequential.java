package io.tutti.nn;

import io.tutti.autograd.Variable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.nn.Sequential}: layers applied in order. Unnamed layers are registered as
 * {@code "0"}, {@code "1"}, ..., so parameter names ({@code 0.weight}) match PyTorch's.
 */
public class Sequential extends Layer {
    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Layer... layers) {
        for (Layer l : layers) {
            append(l);
        }
    }

    public Sequential(List<? extends Layer> layers) {
        layers.forEach(this::append);
    }

    /** Layers with chosen names, in the map's order. */
    public Sequential(Map<String, ? extends Layer> named) {
        named.forEach(this::add);
    }

    /** Adds a layer named by its position. */
    public Sequential append(Layer layer) {
        return add(String.valueOf(layers.size()), layer);
    }

    /** Adds a layer under {@code name}. */
    public Sequential add(String name, Layer layer) {
        if (layer == null) {
            throw new IllegalArgumentException("Sequential: layer '" + name + "' is null");
        }
        registerModule(name, layer);
        layers.add(layer);
        return this;
    }

    public Layer get(int index) {
        return layers.get(index);
    }

    public int size() {
        return layers.size();
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public Variable forward(Variable x) {
        Variable y = x;
        for (Layer l : layers) {
            y = l.forward(y);
        }
        return y;
    }
}
