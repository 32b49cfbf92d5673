package io.tutti.tensor;

import io.tutti.tensor.io.ElementReader;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An open safetensors file whose header has been read and checked, from which tensors are read one
 * at a time on demand: {@link #tensor(String)} reads only that tensor's bytes, so one tensor of a
 * multi-gigabyte checkpoint costs only its own size. Reads are positioned, so several threads may
 * read different tensors at once.
 *
 * <pre>{@code
 * try (SafetensorsFile f = SafetensorsFile.open(path)) {
 *     Tensor images = f.tensor("image");   // U8 on disk, INT32 in memory
 * }
 * }</pre>
 *
 * <p>The file is untrusted: {@link #open} rejects, with a {@link TensorFileException} naming the
 * file and the problem, a header length beyond the file or above 100 MB, a header that is not
 * strict UTF-8 JSON, unknown dtypes, negative or oversized shapes, offsets that disagree with
 * dtype and shape, overlap, gaps, and tensors that run past the end of the file. Types other than
 * {@code F32}, {@code F64} and {@code I32} are converted as {@link FileDType} describes.
 */
public final class SafetensorsFile implements Closeable {
    /**
     * One tensor as the header describes it: its on-disk type, shape, and byte range relative to
     * the start of the data section.
     */
    public static final class Entry {
        private final String name;
        private final FileDType fileDType;
        private final int[] shape;
        private final long begin;
        private final long end;

        Entry(String name, FileDType fileDType, int[] shape, long begin, long end) {
            this.name = name;
            this.fileDType = fileDType;
            this.shape = shape.clone();
            this.begin = begin;
            this.end = end;
        }

        public String name() {
            return name;
        }

        /** The element type stored in the file. */
        public FileDType fileDType() {
            return fileDType;
        }

        /** The dtype {@link SafetensorsFile#tensor} returns. */
        public DType dtype() {
            return fileDType.target();
        }

        public int[] shape() {
            return shape.clone();
        }

        /** First byte, relative to the data section. */
        public long begin() {
            return begin;
        }

        /** One past the last byte, relative to the data section. */
        public long end() {
            return end;
        }

        @Override
        public String toString() {
            return name + ": " + fileDType + " " + Arrays.toString(shape) + " [" + begin + ", " + end + ")";
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final SafetensorsHeader header;

    private SafetensorsFile(Path file, FileChannel channel, SafetensorsHeader header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
    }

    /** Opens {@code file} and reads and checks its header; no tensor data is read yet. */
    public static SafetensorsFile open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SafetensorsFile(file, channel, SafetensorsHeader.read(channel, file));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return file;
    }

    /** The tensor names in header order. */
    public List<String> names() {
        return List.copyOf(header.entries.keySet());
    }

    public boolean contains(String name) {
        return header.entries.containsKey(name);
    }

    /** The header's description of tensor {@code name}. */
    public Entry entry(String name) {
        Entry e = header.entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("safetensors: file " + file + " has no tensor '" + name + "'; it has "
                    + describeNames());
        }
        return e;
    }

    /** All entries in header order. */
    public List<Entry> entries() {
        return new ArrayList<>(header.entries.values());
    }

    /** The element type of tensor {@code name} as stored in the file (before conversion). */
    public FileDType dtypeOnDisk(String name) {
        return entry(name).fileDType();
    }

    /** The {@code __metadata__} string map, in file order (empty if absent). */
    public Map<String, String> metadata() {
        return header.metadata;
    }

    /** Reads tensor {@code name}, and only its bytes, converting its dtype as {@link FileDType} describes. */
    public Tensor tensor(String name) throws IOException {
        Entry e = entry(name);
        return ElementReader.read(channel, header.dataStart + e.begin(), e.fileDType(), ByteOrder.LITTLE_ENDIAN,
                e.shape, file, "safetensors: file " + file + ": tensor '" + name + "'");
    }

    /** Reads every tensor, in header order. */
    public LinkedHashMap<String, Tensor> tensors() throws IOException {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (String name : header.entries.keySet()) {
            out.put(name, tensor(name));
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private String describeNames() {
        int shown = 10;
        String list = header.entries.keySet().stream().limit(shown).map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        int more = header.entries.size() - shown;
        return header.entries.isEmpty() ? "none" : list + (more > 0 ? " and " + more + " more" : "");
    }
}
