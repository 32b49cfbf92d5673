package io.tutti.nn;

import io.tutti.tensor.DType;
import io.tutti.tensor.Device;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The base of every layer and model. A module registers its parameters, buffers (state that is saved
 * but not learned, such as batch norm's running mean) and child modules explicitly and in order, so
 * that {@link #namedParameters()} and {@link #stateDict()} give dotted names
 * ({@code encoder.layer1.0.conv1.weight}) that match PyTorch's {@code state_dict} keys.
 *
 * <p>Subclasses register in their constructor and define their own {@code forward} with whatever
 * arguments they need; the base class does not impose one signature.
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a parameter (null is allowed, like PyTorch's {@code bias=False}, and is skipped). */
    protected final <P extends Parameter> P registerParameter(String name, P parameter) {
        checkName(name);
        if (parameter != null) {
            parameters.put(name, parameter);
        }
        return parameter;
    }

    /** Registers a buffer: saved in the state dict, moved with the module, not learned. */
    protected final Tensor registerBuffer(String name, Tensor buffer) {
        checkName(name);
        buffers.put(name, buffer);
        return buffer;
    }

    /** Replaces a registered buffer's tensor (running statistics are replaced, not mutated, by some layers). */
    protected final void setBuffer(String name, Tensor buffer) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no buffer named '" + name + "'");
        }
        buffers.put(name, buffer);
    }

    /** A registered buffer of this module (not of a descendant), or null. */
    protected final Tensor buffer(String name) {
        return buffers.get(name);
    }

    /**
     * A registered parameter of this module (not of a descendant), or null when none was registered
     * under that name ({@code bias=False}). Layers read their parameters through this rather than
     * keeping fields, so that {@link #to(DType)} can replace them.
     */
    protected final Parameter parameter(String name) {
        return parameters.get(name);
    }

    /** Registers a child module; its parameters appear under {@code name.}. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        if (module != null) {
            children.put(name, module);
        }
        return module;
    }

    /**
     * Removes a registered child (a detachable part such as an {@link Adapter}); returns it, or
     * null when there was none. Parents that keep the child in a field as well must drop it there.
     */
    protected final Module unregisterModule(String name) {
        return children.remove(name);
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": invalid name '" + name + "' (non-empty, no dots)");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
        }
    }

    /** Direct children, in registration order. */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** Every parameter of this module and its descendants, by dotted name, in registration order. */
    public final LinkedHashMap<String, Parameter> namedParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        collectParameters("", out);
        return out;
    }

    private void collectParameters(String prefix, Map<String, Parameter> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p));
        children.forEach((n, m) -> m.collectParameters(prefix + n + ".", out));
    }

    /** Every parameter, in the order of {@link #namedParameters()}. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every buffer of this module and its descendants, by dotted name. */
    public final LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectBuffers("", out);
        return out;
    }

    private void collectBuffers(String prefix, Map<String, Tensor> out) {
        buffers.forEach((n, b) -> out.put(prefix + n, b));
        children.forEach((n, m) -> m.collectBuffers(prefix + n + ".", out));
    }

    /** This module and all descendants, depth first, each with its dotted name ("" for this one). */
    public final LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String name, Map<String, Module> out) {
        out.put(name, this);
        children.forEach((n, m) -> m.collectModules(name.isEmpty() ? n : name + "." + n, out));
    }

    /** Calls {@code fn} on every descendant and then on this module, as {@code torch.nn.Module.apply}. */
    public final Module apply(Consumer<Module> fn) {
        children.values().forEach(m -> m.apply(fn));
        fn.accept(this);
        return this;
    }

    /** Training mode (dropout active, batch norm uses batch statistics) for this module and its descendants. */
    public Module train() {
        return train(true);
    }

    public Module train(boolean mode) {
        training = mode;
        children.values().forEach(m -> m.train(mode));
        return this;
    }

    /** Evaluation mode for this module and its descendants. */
    public Module eval() {
        return train(false);
    }

    public final boolean isTraining() {
        return training;
    }

    /** Freezes ({@code false}) or unfreezes every parameter. */
    public Module requiresGrad(boolean requires) {
        namedParameters().values().forEach(p -> p.requiresGrad(requires));
        return this;
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        namedParameters().values().forEach(Parameter::zeroGrad);
    }

    /** Parameters and buffers by dotted name (the tensors themselves, not copies), in registration order. */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    private void collectState(String prefix, Map<String, Tensor> out) {
        parameters.forEach((n, p) -> out.put(prefix + n, p.data()));
        buffers.forEach((n, b) -> out.put(prefix + n, b));
        children.forEach((n, m) -> m.collectState(prefix + n + ".", out));
    }

    /** What a non-strict {@link #loadStateDict(Map, boolean)} left out: own keys not given, and given keys not known. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    }

    /** Loads a state dict strictly: every key must be present, known and of the right shape. */
    public void loadStateDict(Map<String, Tensor> state) {
        loadStateDict(state, true);
    }

    /**
     * Copies values into this module's parameters and buffers. With {@code strict}, missing or
     * unexpected keys are an error; mis-shaped values always are. The error lists every problem at
     * once, and nothing is changed unless all checks pass.
     */
    public LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        LinkedHashMap<String, Tensor> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given == null) {
                missing.add(e.getKey());
            } else if (!Arrays.equals(given.shape(), e.getValue().shape())) {
                misShaped.add(e.getKey() + " (expected " + Arrays.toString(e.getValue().shape()) + ", got "
                        + Arrays.toString(given.shape()) + ")");
            }
        }
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (!misShaped.isEmpty() || (strict && (!missing.isEmpty() || !unexpected.isEmpty()))) {
            StringBuilder sb = new StringBuilder("loadStateDict: cannot load into " + getClass().getSimpleName());
            if (!missing.isEmpty() && strict) {
                sb.append("; missing keys ").append(missing);
            }
            if (!unexpected.isEmpty() && strict) {
                sb.append("; unexpected keys ").append(unexpected);
            }
            if (!misShaped.isEmpty()) {
                sb.append("; mis-shaped ").append(misShaped);
            }
            throw new IllegalArgumentException(sb.toString());
        }
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            Tensor given = state.get(e.getKey());
            if (given != null) {
                e.getValue().copyFrom(given);
            }
        }
        return new LoadResult(List.copyOf(missing), List.copyOf(unexpected));
    }

    /**
     * Converts every floating parameter and buffer of this module and its descendants to
     * {@code dtype} (integer buffers such as batch norm's {@code num_batches_tracked} are kept).
     * Parameters are replaced by new {@link Parameter} objects with the same {@code requiresGrad}
     * and no gradient, so build optimizers after converting; {@code model.to(DType.FLOAT64)} is how
     * a model is checked with GradCheck.
     */
    public Module to(DType dtype) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("to: modules convert to floating dtypes only, got " + dtype);
        }
        parameters.replaceAll((n, p) -> p.dtype() == dtype || !p.dtype().isFloating()
                ? p : new Parameter(p.data().to(dtype), p.requiresGrad()));
        buffers.replaceAll((n, b) -> b.dtype().isFloating() ? b.to(dtype) : b);
        children.values().forEach(m -> m.to(dtype));
        return this;
    }

    /**
     * Moves every parameter and buffer to {@code device} (an OpenCL device, say, or back to the CPU).
     * Like {@link #to(DType)} it replaces the {@code Parameter} objects, so build optimizers after
     * moving; inputs and targets must be moved to the same device.
     */
    public Module to(Device device) {
        parameters.replaceAll((n, p) -> p.device().equals(device) ? p : new Parameter(p.data().to(device), p.requiresGrad()));
        buffers.replaceAll((n, b) -> b.to(device));
        children.values().forEach(m -> m.to(device));
        return this;
    }

    /** Number of parameter elements; with {@code trainableOnly}, only those that require a gradient. */
    public long parameterCount(boolean trainableOnly) {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            if (!trainableOnly || p.requiresGrad()) {
                n += p.numel();
            }
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(');
        if (!children.isEmpty()) {
            sb.append('\n');
            children.forEach((n, m) -> sb.append("  (").append(n).append("): ")
                    .append(m.toString().replace("\n", "\n  ")).append('\n'));
        }
        return sb.append(')').toString();
    }
}
