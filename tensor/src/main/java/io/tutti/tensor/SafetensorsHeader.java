package io.tutti.tensor;

import io.tutti.tensor.io.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a safetensors file: reading and checking it (every field, and the data layout
 * against the file's length) and writing it. Kept apart from {@link SafetensorsFile} so that all
 * the rules about untrusted headers sit in one place.
 *
 * <p>The rules are those of the reference implementation (the Rust {@code safetensors} crate),
 * so a file accepted here loads in PyTorch too: tensors must exactly tile the data section, with no
 * overlap, no gap and no trailing bytes. We are stricter in two ways that cost nothing: duplicate
 * JSON keys and {@code BOOL} bytes other than 0 and 1 are errors.
 */
final class SafetensorsHeader {
    /** The reference implementation's limit; a real header is kilobytes. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    private static final int LENGTH_BYTES = 8;

    final long dataStart;
    final Map<String, SafetensorsFile.Entry> entries;
    final Map<String, String> metadata;

    private SafetensorsHeader(long dataStart, Map<String, SafetensorsFile.Entry> entries, Map<String, String> metadata) {
        this.dataStart = dataStart;
        this.entries = Collections.unmodifiableMap(entries);
        this.metadata = Collections.unmodifiableMap(metadata);
    }

    // ------------------------------------------------------------------ reading

    static SafetensorsHeader read(FileChannel channel, Path file) throws IOException {
        long fileSize = channel.size();
        if (fileSize < LENGTH_BYTES) {
            throw truncated(file, "it has " + fileSize + " bytes, fewer than the 8-byte header length");
        }
        long headerLength = readBytes(channel, 0, LENGTH_BYTES, file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (Long.compareUnsigned(headerLength, fileSize - LENGTH_BYTES) > 0) {
            throw truncated(file, "the header length is " + Long.toUnsignedString(headerLength)
                    + " bytes but only " + (fileSize - LENGTH_BYTES) + " bytes follow it");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw error(file, "header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        ByteBuffer headerBytes = readBytes(channel, LENGTH_BYTES, (int) headerLength, file);
        Object json = parseJson(decodeUtf8(headerBytes, file), file);
        if (!(json instanceof Map)) {
            throw error(file, "header is a JSON " + kind(json) + ", not an object");
        }
        Map<String, SafetensorsFile.Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) json).entrySet()) {
            String key = (String) e.getKey();
            if (key.equals(METADATA_KEY)) {
                metadata = metadata(e.getValue(), file);
            } else {
                entries.put(key, entry(key, e.getValue(), file));
            }
        }
        long dataStart = LENGTH_BYTES + headerLength;
        checkLayout(entries.values(), fileSize - dataStart, file);
        return new SafetensorsHeader(dataStart, entries, metadata);
    }

    private static ByteBuffer readBytes(FileChannel channel, long position, int length, Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (channel.read(buf, position + buf.position()) < 0) {
                throw truncated(file, "it ends at byte " + (position + buf.position()) + " inside the header");
            }
        }
        return buf.flip();
    }

    private static String decodeUtf8(ByteBuffer bytes, Path file) throws TensorFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw error(file, "header is not valid UTF-8 (at byte " + (LENGTH_BYTES + bytes.position()) + ")");
        }
    }

    private static Object parseJson(String text, Path file) throws TensorFileException {
        try {
            return Json.parse(text);
        } catch (Json.SyntaxException e) {
            throw error(file, "header is not valid JSON: " + e.getMessage());
        }
    }

    private static Map<String, String> metadata(Object value, Path file) throws TensorFileException {
        if (!(value instanceof Map)) {
            throw error(file, METADATA_KEY + " is a JSON " + kind(value) + ", not an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            if (!(e.getValue() instanceof String)) {
                throw error(file, METADATA_KEY + " entry '" + e.getKey() + "' is a JSON " + kind(e.getValue())
                        + ", but metadata values must be strings");
            }
            out.put((String) e.getKey(), (String) e.getValue());
        }
        return out;
    }

    private static SafetensorsFile.Entry entry(String name, Object value, Path file) throws TensorFileException {
        String where = "tensor '" + name + "'";
        if (!(value instanceof Map)) {
            throw error(file, where + " is described by a JSON " + kind(value) + ", not an object");
        }
        // Unknown extra fields are ignored, as the reference implementation does.
        Map<?, ?> fields = (Map<?, ?>) value;
        Object dtypeName = required(fields, "dtype", where, file);
        if (!(dtypeName instanceof String)) {
            throw error(file, where + ": dtype is a JSON " + kind(dtypeName) + ", not a string");
        }
        FileDType dtype = FileDType.fromSafetensorsName((String) dtypeName).orElseThrow(() -> error(file, where
                + " has unknown or unsupported dtype '" + dtypeName + "' (supported: " + Arrays.toString(FileDType.values()) + ")"));
        long[] shapeLongs = integers(required(fields, "shape", where, file), -1, where + ": shape", file);
        int[] shape = new int[shapeLongs.length];
        for (int i = 0; i < shape.length; i++) {
            if (shapeLongs[i] > Integer.MAX_VALUE) {
                throw error(file, where + ": shape " + Arrays.toString(shapeLongs) + " has a dimension above 2^31-1");
            }
            shape[i] = (int) shapeLongs[i];
        }
        long numel = numel(shape, where, file);
        long[] offsets = integers(required(fields, "data_offsets", where, file), 2, where + ": data_offsets", file);
        if (offsets[1] < offsets[0]) {
            throw error(file, where + ": data_offsets " + Arrays.toString(offsets) + " end before they begin");
        }
        long needed = numel * dtype.byteSize();
        if (offsets[1] - offsets[0] != needed) {
            throw error(file, where + " has dtype " + dtype + " and shape " + Arrays.toString(shape) + ", which need "
                    + needed + " bytes, but its data_offsets " + Arrays.toString(offsets) + " span "
                    + (offsets[1] - offsets[0]) + " bytes");
        }
        return new SafetensorsFile.Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static Object required(Map<?, ?> fields, String key, String where, Path file) throws TensorFileException {
        Object v = fields.get(key);
        if (v == null) {
            throw error(file, where + " has no \"" + key + "\" field");
        }
        return v;
    }

    /** A JSON array of non-negative integers; {@code length} -1 means any length. */
    private static long[] integers(Object value, int length, String where, Path file) throws TensorFileException {
        if (!(value instanceof List)) {
            throw error(file, where + " is a JSON " + kind(value) + ", not an array of integers");
        }
        List<?> list = (List<?>) value;
        if (length >= 0 && list.size() != length) {
            throw error(file, where + " " + list + " has " + list.size() + " entries, not " + length);
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (!(v instanceof Long) || (Long) v < 0) {
                throw error(file, where + " " + list + " has entry " + v + ", which is not a non-negative integer");
            }
            out[i] = (Long) v;
        }
        return out;
    }

    private static long numel(int[] shape, String where, Path file) throws TensorFileException {
        try {
            return Shapes.numel(shape);
        } catch (IllegalArgumentException e) {
            throw error(file, where + ": shape " + Arrays.toString(shape) + " has more elements than a Tensor can hold (2^31-1)");
        }
    }

    /** Every tensor inside the data section, and the tensors tiling it exactly. */
    private static void checkLayout(Iterable<SafetensorsFile.Entry> entries, long dataSize, Path file) throws TensorFileException {
        List<SafetensorsFile.Entry> sorted = new ArrayList<>();
        for (SafetensorsFile.Entry e : entries) {
            if (e.end() > dataSize) {
                throw truncated(file, "tensor '" + e.name() + "' needs bytes [" + e.begin() + ", " + e.end()
                        + ") but the data section has " + dataSize);
            }
            sorted.add(e);
        }
        sorted.sort(Comparator.comparingLong(SafetensorsFile.Entry::begin).thenComparingLong(SafetensorsFile.Entry::end));
        long covered = 0;
        SafetensorsFile.Entry previous = null;
        for (SafetensorsFile.Entry e : sorted) {
            if (e.begin() < covered) {
                throw error(file, "tensors '" + previous.name() + "' " + range(previous) + " and '" + e.name() + "' "
                        + range(e) + " overlap in the data section");
            }
            if (e.begin() > covered) {
                throw error(file, "bytes [" + covered + ", " + e.begin() + ") of the data section belong to no tensor");
            }
            covered = e.end();
            previous = e;
        }
        if (covered != dataSize) {
            throw error(file, "the data section has " + dataSize + " bytes but the tensors cover only the first " + covered);
        }
    }

    private static String range(SafetensorsFile.Entry e) {
        return "[" + e.begin() + ", " + e.end() + ")";
    }

    private static String kind(Object json) {
        if (json instanceof Map) {
            return "object";
        }
        if (json instanceof List) {
            return "array";
        }
        if (json instanceof String) {
            return "string";
        }
        if (json instanceof Boolean) {
            return "boolean";
        }
        return json == Json.NULL ? "null" : "number";
    }

    static TensorFileException error(Path file, String problem) {
        return new TensorFileException(file, "safetensors: file " + file + ": " + problem);
    }

    static TensorFileException truncated(Path file, String problem) {
        return new TensorFileException(file, "safetensors: file " + file + " is truncated: " + problem);
    }

    // ------------------------------------------------------------------ writing

    /**
     * The header bytes (length prefix included) for tensors laid out back to back in iteration
     * order, padded with spaces so the data section starts at a multiple of 8 bytes.
     */
    static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            Json.quote(METADATA_KEY, json);
            json.append(":{");
            String sep = "";
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                json.append(sep);
                Json.quote(e.getKey(), json);
                json.append(':');
                Json.quote(e.getValue(), json);
                sep = ",";
            }
            json.append('}');
        }
        long offset = 0;
        String sep = metadata.isEmpty() ? "" : ",";
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            long bytes = (long) t.numel() * t.dtype().byteSize();
            json.append(sep);
            Json.quote(e.getKey(), json);
            json.append(":{\"dtype\":\"").append(FileDType.of(t.dtype()).safetensorsName()).append("\",\"shape\":[");
            for (int i = 0; i < t.dim(); i++) {
                json.append(i == 0 ? "" : ",").append(t.shape(i));
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
            sep = ",";
        }
        json.append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(LENGTH_BYTES + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(text);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }
}
