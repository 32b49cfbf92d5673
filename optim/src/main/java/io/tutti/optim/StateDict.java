package io.tutti.optim;

import io.tutti.tensor.Safetensors;
import io.tutti.tensor.SafetensorsFile;
import io.tutti.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The saved state of an optimizer, a scheduler or a whole checkpoint, in the shape a safetensors file
 * can hold: named tensors, plus named scalars kept as strings (the file's {@code __metadata__} map).
 *
 * <p>Keys are dotted paths ({@code state.3.exp_avg}, {@code param_groups.0.lr}); {@link #prefixed}
 * and {@link #section} nest one state dict inside another, which is how a {@link Checkpoint} holds
 * the model, optimizer and scheduler side by side. Numbers are written so that they read back
 * bit-exactly. Getters fail with a message naming the missing or malformed key.
 */
public final class StateDict {
    private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> metadata = new LinkedHashMap<>();

    public StateDict() {
    }

    /** A state dict over the given tensors and metadata (copied maps, shared tensors). */
    public StateDict(Map<String, Tensor> tensors, Map<String, String> metadata) {
        tensors.forEach(this::put);
        metadata.forEach(this::putString);
    }

    // ------------------------------------------------------------------ writing

    public StateDict put(String key, Tensor value) {
        if (value == null) {
            throw new IllegalArgumentException("state dict: tensor for '" + key + "' is null");
        }
        tensors.put(checkKey(key), value);
        return this;
    }

    public StateDict putString(String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("state dict: value for '" + key + "' is null");
        }
        metadata.put(checkKey(key), value);
        return this;
    }

    public StateDict putDouble(String key, double value) {
        return putString(key, OptionCodec.encodeDouble(value));
    }

    public StateDict putLong(String key, long value) {
        return putString(key, Long.toString(value));
    }

    public StateDict putBoolean(String key, boolean value) {
        return putString(key, Boolean.toString(value));
    }

    public StateDict putDoubles(String key, double[] values) {
        return putString(key, OptionCodec.encode(values));
    }

    /** Adds every entry of {@code other} (replacing equal keys). */
    public StateDict putAll(StateDict other) {
        tensors.putAll(other.tensors);
        metadata.putAll(other.metadata);
        return this;
    }

    // ------------------------------------------------------------------ reading

    public boolean hasTensor(String key) {
        return tensors.containsKey(key);
    }

    public boolean hasMetadata(String key) {
        return metadata.containsKey(key);
    }

    public Tensor tensor(String key) {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new IllegalArgumentException("state dict: no tensor '" + key + "'");
        }
        return t;
    }

    public String getString(String key) {
        String s = metadata.get(key);
        if (s == null) {
            throw new IllegalArgumentException("state dict: no entry '" + key + "'");
        }
        return s;
    }

    public double getDouble(String key) {
        return OptionCodec.decodeDouble(key, getString(key));
    }

    public long getLong(String key) {
        String s = getString(key);
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("state dict: value of '" + key + "' is not an integer: '" + s + "'", e);
        }
    }

    public int getInt(String key) {
        long v = getLong(key);
        if (v != (int) v) {
            throw new IllegalArgumentException("state dict: value of '" + key + "' is out of int range: " + v);
        }
        return (int) v;
    }

    public boolean getBoolean(String key) {
        String s = getString(key).trim();
        if (!s.equals("true") && !s.equals("false")) {
            throw new IllegalArgumentException("state dict: value of '" + key + "' is not a boolean: '" + s + "'");
        }
        return s.equals("true");
    }

    public double[] getDoubles(String key) {
        Object v = OptionCodec.decode(key, getString(key));
        if (!(v instanceof double[])) {
            throw new IllegalArgumentException("state dict: value of '" + key + "' is not a list of numbers: '" + getString(key) + "'");
        }
        return (double[]) v;
    }

    /** The tensors by key, in insertion order (read-only). */
    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** The scalar entries by key, in insertion order (read-only). */
    public Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    public boolean isEmpty() {
        return tensors.isEmpty() && metadata.isEmpty();
    }

    // ------------------------------------------------------------------ nesting

    /** A copy with {@code prefix} in front of every key (use a trailing dot: {@code "optimizer."}). */
    public StateDict prefixed(String prefix) {
        StateDict out = new StateDict();
        tensors.forEach((k, v) -> out.put(prefix + k, v));
        metadata.forEach((k, v) -> out.putString(prefix + k, v));
        return out;
    }

    /** The entries whose key starts with {@code prefix}, with the prefix removed. */
    public StateDict section(String prefix) {
        StateDict out = new StateDict();
        tensors.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        metadata.forEach((k, v) -> {
            if (k.startsWith(prefix) && k.length() > prefix.length()) {
                out.putString(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ files

    /** Writes one safetensors file, atomically (a temporary file renamed over the target). */
    public void save(Path file) throws IOException {
        Safetensors.save(file, tensors, metadata);
    }

    /** Reads every tensor and the metadata of a safetensors file. */
    public static StateDict load(Path file) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return new StateDict(f.tensors(), f.metadata());
        }
    }

    private static String checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("state dict: key must be non-empty");
        }
        return key;
    }

    @Override
    public String toString() {
        return "StateDict(" + tensors.size() + " tensors " + tensors.keySet() + ", metadata " + metadata + ")";
    }
}
