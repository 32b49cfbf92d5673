package io.tutti.tensor;

import io.tutti.tensor.io.ElementReader;
import io.tutti.tensor.io.ElementWriter;
import io.tutti.tensor.io.PyLiteral;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reading and writing single tensors in NumPy's {@code .npy} format ({@code numpy.save} /
 * {@code numpy.load}): the magic {@code \x93NUMPY}, a version, a header that is a Python dict
 * literal with {@code 'descr'}, {@code 'fortran_order'} and {@code 'shape'}, then the raw data.
 *
 * <p>{@link #load} reads format versions 1.0, 2.0 and 3.0; booleans and integers of 1, 2, 4 and 8
 * bytes, signed or unsigned, and floats of 2, 4 and 8 bytes, in either byte order, in C or Fortran
 * order. Integers become {@code INT32} (64-bit and unsigned 32-bit values only when they fit,
 * otherwise the read fails), {@code f2} becomes {@code FLOAT32}. Fortran-order arrays come back as
 * ordinary row-major tensors with the same shape and elements.
 *
 * <p>{@link #save} writes {@code <f4}, {@code <f8} or {@code <i4} in C order, format 1.0 (2.0 if
 * the header would not fit), atomically through a temporary file and a rename.
 *
 * <p>Files are untrusted: every error is a {@link TensorFileException} that names the file and the
 * problem, and nothing is allocated beyond what the file's length justifies.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy aligns the data to 64 bytes so it can be memory-mapped. */
    private static final int ALIGNMENT = 64;
    /** Real headers are ~100 bytes; numpy's own reader stops at 10 kB by default. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    private static final Set<String> HEADER_KEYS = Set.of("descr", "fortran_order", "shape");

    private Npy() {
    }

    /** What the header says: element type and byte order, layout, shape, and where the data starts. */
    private static final class Header {
        final FileDType type;
        final ByteOrder order;
        final boolean fortranOrder;
        final int[] shape;
        final long dataStart;

        Header(FileDType type, ByteOrder order, boolean fortranOrder, int[] shape, long dataStart) {
            this.type = type;
            this.order = order;
            this.fortranOrder = fortranOrder;
            this.shape = shape;
            this.dataStart = dataStart;
        }
    }

    /** Reads the array in {@code file}. */
    public static Tensor load(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = readHeader(channel, file);
            long needed = (long) Shapes.numel(h.shape) * h.type.byteSize();
            long available = channel.size() - h.dataStart;
            if (available < needed) {
                throw truncated(file, "shape " + Arrays.toString(h.shape) + " of " + h.type + " needs " + needed
                        + " bytes of data but only " + available + " follow the header");
            }
            if (available > needed) {
                throw error(file, available + " bytes of data follow the header but shape " + Arrays.toString(h.shape)
                        + " of " + h.type + " needs only " + needed);
            }
            if (!h.fortranOrder) {
                return ElementReader.read(channel, h.dataStart, h.type, h.order, h.shape, file, "npy: file " + file);
            }
            // Fortran order is C order of the reversed shape; reversing the axes back gives the array.
            int rank = h.shape.length;
            int[] reversed = new int[rank];
            int[] axes = new int[rank];
            for (int i = 0; i < rank; i++) {
                reversed[i] = h.shape[rank - 1 - i];
                axes[i] = rank - 1 - i;
            }
            Tensor columnMajor = ElementReader.read(channel, h.dataStart, h.type, h.order, reversed, file, "npy: file " + file);
            return columnMajor.permute(axes).contiguous();
        }
    }

    private static Header readHeader(FileChannel channel, Path file) throws IOException {
        long fileSize = channel.size();
        ByteBuffer start = read(channel, 0, (int) Math.min(fileSize, 12)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (start.limit() <= i || start.get(i) != MAGIC[i]) {
                throw error(file, "not an .npy file: it does not start with \\x93NUMPY");
            }
        }
        if (start.limit() < 10) {
            throw truncated(file, "it has " + fileSize + " bytes, too few for the version and header length");
        }
        int major = Byte.toUnsignedInt(start.get(6));
        int minor = Byte.toUnsignedInt(start.get(7));
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(start.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (start.limit() < 12) {
                throw truncated(file, "it has " + fileSize + " bytes, too few for the version and header length");
            }
            headerLength = Integer.toUnsignedLong(start.getInt(8));
            headerStart = 12;
        } else {
            throw error(file, "format version " + major + "." + minor + " is not supported (only 1.0, 2.0 and 3.0)");
        }
        if (headerStart + headerLength > fileSize) {
            throw truncated(file, "the header length is " + headerLength + " bytes but only " + (fileSize - headerStart)
                    + " bytes follow it");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw error(file, "header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        ByteBuffer headerBytes = read(channel, headerStart, (int) headerLength);
        // Versions 1 and 2 are latin-1 (in practice ASCII); version 3 added UTF-8 for field names.
        String text = major == 3 ? utf8(headerBytes, file) : StandardCharsets.ISO_8859_1.decode(headerBytes).toString();
        return parseHeader(text, headerStart + headerLength, file);
    }

    private static ByteBuffer read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining() && channel.read(buf, position + buf.position()) >= 0) {
            // keep reading; a short file shows up as a short buffer, which callers check
        }
        return buf.flip();
    }

    private static String utf8(ByteBuffer bytes, Path file) throws TensorFileException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw error(file, "header is not valid UTF-8");
        }
    }

    private static Header parseHeader(String text, long dataStart, Path file) throws TensorFileException {
        Object literal;
        try {
            literal = PyLiteral.parse(text);
        } catch (PyLiteral.SyntaxException e) {
            throw error(file, "header is not a valid Python literal: " + e.getMessage());
        }
        if (!(literal instanceof Map) || !((Map<?, ?>) literal).keySet().equals(HEADER_KEYS)) {
            throw error(file, "header " + text.trim() + " is not a dict with exactly the keys 'descr', 'fortran_order' and 'shape'");
        }
        Map<?, ?> dict = (Map<?, ?>) literal;
        Object descr = dict.get("descr");
        if (!(descr instanceof String)) {
            throw error(file, "descr " + descr + " is not a simple dtype string (structured dtypes are not supported)");
        }
        Object fortran = dict.get("fortran_order");
        if (!(fortran instanceof Boolean)) {
            throw error(file, "fortran_order " + fortran + " is not True or False");
        }
        String d = (String) descr;
        FileDType type = dtype(d, file);
        return new Header(type, byteOrder(d, type, file), (Boolean) fortran, shape(dict.get("shape"), file), dataStart);
    }

    private static FileDType dtype(String descr, Path file) throws TensorFileException {
        String code = descr.isEmpty() ? "" : descr.substring(1);
        switch (code) {
            case "b1": return FileDType.BOOL;
            case "u1": return FileDType.U8;
            case "i1": return FileDType.I8;
            case "i2": return FileDType.I16;
            case "u2": return FileDType.U16;
            case "i4": return FileDType.I32;
            case "u4": return FileDType.U32;
            case "i8": return FileDType.I64;
            case "u8": return FileDType.U64;
            case "f2": return FileDType.F16;
            case "f4": return FileDType.F32;
            case "f8": return FileDType.F64;
            default:
                throw error(file, "unsupported dtype '" + descr + "' (supported: booleans, integers of 1, 2, 4, 8 bytes and floats of 2, 4, 8 bytes)");
        }
    }

    private static ByteOrder byteOrder(String descr, FileDType type, Path file) throws TensorFileException {
        switch (descr.charAt(0)) {
            case '<': return ByteOrder.LITTLE_ENDIAN;
            case '>': return ByteOrder.BIG_ENDIAN;
            case '|':
                if (type.byteSize() == 1) {
                    return ByteOrder.LITTLE_ENDIAN;
                }
                throw error(file, "dtype '" + descr + "' has " + type.byteSize() + "-byte elements but no byte order");
            default:
                throw error(file, "dtype '" + descr + "' does not start with a byte order '<', '>' or '|'");
        }
    }

    private static int[] shape(Object value, Path file) throws TensorFileException {
        if (!(value instanceof PyLiteral.Tuple)) {
            throw error(file, "shape " + value + " is not a tuple");
        }
        List<Object> items = ((PyLiteral.Tuple) value).items();
        int[] shape = new int[items.size()];
        for (int i = 0; i < shape.length; i++) {
            Object v = items.get(i);
            if (!(v instanceof Long) || (Long) v < 0 || (Long) v > Integer.MAX_VALUE) {
                throw error(file, "shape " + value + " has entry " + v + ", which is not an integer in [0, 2^31-1]");
            }
            shape[i] = (int) (long) (Long) v;
        }
        try {
            Shapes.numel(shape);
        } catch (IllegalArgumentException e) {
            throw error(file, "shape " + value + " has more elements than a Tensor can hold (2^31-1)");
        }
        return shape;
    }

    private static TensorFileException error(Path file, String problem) {
        return new TensorFileException(file, "npy: file " + file + ": " + problem);
    }

    private static TensorFileException truncated(Path file, String problem) {
        return new TensorFileException(file, "npy: file " + file + " is truncated: " + problem);
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code t} (float32, float64 or int32; any layout) to {@code file} in C order, replacing it atomically. */
    public static void save(Path file, Tensor t) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(t, "tensor");
        byte[] preamble = preamble(t);
        AtomicFile.write(file, channel -> {
            ByteBuffer buf = ByteBuffer.wrap(preamble);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            ElementWriter.write(channel, t);
        });
    }

    /** Magic, version, header length and header, padded with spaces and a newline to a multiple of 64 bytes. */
    private static byte[] preamble(Tensor t) {
        String descr = t.dtype() == DType.FLOAT32 ? "<f4" : t.dtype() == DType.FLOAT64 ? "<f8" : "<i4";
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < t.dim(); i++) {
            shape.append(i == 0 ? "" : ", ").append(t.shape(i));
        }
        shape.append(t.dim() == 1 ? ",)" : ")");
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int version = 1;
        int total = paddedLength(dict, 2);
        if (total - (MAGIC.length + 2 + 2) > 0xFFFF) {
            version = 2; // the header length no longer fits in version 1's two bytes
            total = paddedLength(dict, 4);
        }
        int lengthBytes = version == 1 ? 2 : 4;
        int headerLength = total - MAGIC.length - 2 - lengthBytes;
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) version).put((byte) 0);
        if (version == 1) {
            out.putShort((short) headerLength);
        } else {
            out.putInt(headerLength);
        }
        out.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (out.position() < total - 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    /** Bytes from the magic to the end of the header, with the terminating newline, rounded up to the alignment. */
    private static int paddedLength(String dict, int lengthBytes) {
        int unpadded = MAGIC.length + 2 + lengthBytes + dict.length() + 1;
        return (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
