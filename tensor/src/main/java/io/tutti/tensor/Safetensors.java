package io.tutti.tensor;

import io.tutti.tensor.io.ElementWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Loading and saving named tensors in the safetensors format, the one PyTorch and Hugging Face use
 * for checkpoints: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
 * shape and byte range, then the raw little-endian row-major data.
 *
 * <p>{@link #load} reads a whole file; {@link SafetensorsFile} reads single tensors on demand.
 * {@link #save} writes {@code F32}, {@code F64} and {@code I32} tensors in the map's iteration
 * order, plus optional string metadata, atomically: it writes a temporary file beside the target
 * and renames it over the target, so an interrupted save leaves the previous file intact.
 */
public final class Safetensors {
    private Safetensors() {
    }

    /** Every tensor of {@code file}, in header order. */
    public static LinkedHashMap<String, Tensor> load(Path file) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.tensors();
        }
    }

    /** One tensor of {@code file}, reading only its bytes. */
    public static Tensor load(Path file, String name) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.tensor(name);
        }
    }

    /** The {@code __metadata__} map of {@code file} (empty if it has none). */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.metadata();
        }
    }

    public static void save(Path file, Map<String, Tensor> tensors) throws IOException {
        save(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} (in iteration order) and {@code metadata} to {@code file}, replacing it
     * atomically. Tensors of any layout or device are written as their row-major elements.
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        check(tensors, metadata);
        byte[] header = SafetensorsHeader.encode(tensors, metadata);
        AtomicFile.write(file, channel -> {
            ByteBuffer buf = ByteBuffer.wrap(header);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            for (Tensor t : tensors.values()) {
                ElementWriter.write(channel, t);
            }
        });
    }

    private static void check(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("safetensors save: null tensor name or tensor (name " + e.getKey() + ")");
            }
            if (e.getKey().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors save: '" + SafetensorsHeader.METADATA_KEY
                        + "' is reserved and cannot name a tensor");
            }
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("safetensors save: null metadata key or value (key " + e.getKey() + ")");
            }
        }
    }
}
