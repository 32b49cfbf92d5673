package io.tutti.tensor.io;

import io.tutti.tensor.CpuStorage;
import io.tutti.tensor.DType;
import io.tutti.tensor.FileDType;
import io.tutti.tensor.Shapes;
import io.tutti.tensor.Tensor;
import io.tutti.tensor.TensorFileException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads a block of encoded elements from a file into a new contiguous tensor, converting each
 * {@link FileDType} to its in-memory {@link DType}. The bytes are read with positioned reads in
 * chunks of {@value #CHUNK_BYTES} bytes, so memory use is the result plus one chunk, nothing else
 * in the file is touched, and several threads may read from the same channel.
 *
 * <p>Callers must already have checked that the block lies inside the file; a short read here
 * (the file shrank while open) still fails cleanly.
 */
public final class ElementReader {
    /** A multiple of every element size, so no element straddles two chunks. */
    public static final int CHUNK_BYTES = 1 << 20;

    private final FileChannel channel;
    private final Path file;
    private final String what;
    private final FileDType type;

    private ElementReader(FileChannel channel, Path file, String what, FileDType type) {
        this.channel = channel;
        this.file = file;
        this.what = what;
        this.type = type;
    }

    /**
     * Reads {@code numel(shape)} elements of {@code type} in byte order {@code order} starting at
     * {@code position}. {@code what} names the block in error messages, e.g.
     * {@code "safetensors: file a.safetensors: tensor 'w'"}.
     */
    public static Tensor read(FileChannel channel, long position, FileDType type, ByteOrder order, int[] shape,
                              Path file, String what) throws IOException {
        int numel = Shapes.numel(shape);
        ElementReader reader = new ElementReader(channel, file, what, type);
        switch (type.target()) {
            case FLOAT32: {
                float[] out = new float[numel];
                reader.readAll(position, numel, order, (buf, from, count) -> reader.decodeFloats(buf, out, from, count));
                return Tensor.wrap(CpuStorage.wrap(out), shape);
            }
            case FLOAT64: {
                double[] out = new double[numel];
                reader.readAll(position, numel, order, (buf, from, count) -> buf.asDoubleBuffer().get(out, from, count));
                return Tensor.wrap(CpuStorage.wrap(out), shape);
            }
            default: {
                int[] out = new int[numel];
                reader.readAll(position, numel, order, (buf, from, count) -> reader.decodeInts(buf, out, from, count));
                return Tensor.wrap(CpuStorage.wrap(out), shape);
            }
        }
    }

    /** Decodes {@code count} elements from a chunk into the destination starting at element {@code from}. */
    @FunctionalInterface
    private interface ChunkDecoder {
        void decode(ByteBuffer chunk, int from, int count) throws IOException;
    }

    private void readAll(long position, int numel, ByteOrder order, ChunkDecoder decoder) throws IOException {
        long totalBytes = (long) numel * type.byteSize();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(totalBytes, CHUNK_BYTES)).order(order);
        int done = 0;
        while (done < numel) {
            int count = Math.min(numel - done, CHUNK_BYTES / type.byteSize());
            buf.clear().limit(count * type.byteSize());
            readFully(buf, position + (long) done * type.byteSize());
            buf.flip();
            decoder.decode(buf, done, count);
            done += count;
        }
    }

    private void readFully(ByteBuffer buf, long position) throws IOException {
        long start = position;
        while (buf.hasRemaining()) {
            int n = channel.read(buf, start + buf.position());
            if (n < 0) {
                throw new TensorFileException(file, what + ": the file ends at byte " + (start + buf.position())
                        + " but the data runs to byte " + (start + buf.limit()) + " (was it truncated while being read?)");
            }
        }
    }

    private void decodeFloats(ByteBuffer buf, float[] out, int from, int count) {
        switch (type) {
            case F32:
                buf.asFloatBuffer().get(out, from, count);
                break;
            case F16:
                for (int i = 0; i < count; i++) {
                    out[from + i] = HalfFloats.halfToFloat(buf.getShort());
                }
                break;
            case BF16:
                for (int i = 0; i < count; i++) {
                    out[from + i] = HalfFloats.bfloat16ToFloat(buf.getShort());
                }
                break;
            default:
                throw new IllegalStateException("no float decoding for " + type);
        }
    }

    private void decodeInts(ByteBuffer buf, int[] out, int from, int count) throws IOException {
        switch (type) {
            case I32:
                buf.asIntBuffer().get(out, from, count);
                break;
            case I16:
                for (int i = 0; i < count; i++) {
                    out[from + i] = buf.getShort();
                }
                break;
            case U16:
                for (int i = 0; i < count; i++) {
                    out[from + i] = Short.toUnsignedInt(buf.getShort());
                }
                break;
            case I8:
                for (int i = 0; i < count; i++) {
                    out[from + i] = buf.get();
                }
                break;
            case U8:
                for (int i = 0; i < count; i++) {
                    out[from + i] = Byte.toUnsignedInt(buf.get());
                }
                break;
            case BOOL:
                for (int i = 0; i < count; i++) {
                    byte b = buf.get();
                    if (b != 0 && b != 1) {
                        throw new TensorFileException(file, what + ": element " + (from + i) + " of a BOOL tensor is byte "
                                + Byte.toUnsignedInt(b) + ", not 0 or 1");
                    }
                    out[from + i] = b;
                }
                break;
            case U32:
                for (int i = 0; i < count; i++) {
                    out[from + i] = narrow(Integer.toUnsignedLong(buf.getInt()), from + i);
                }
                break;
            case I64:
                for (int i = 0; i < count; i++) {
                    out[from + i] = narrow(buf.getLong(), from + i);
                }
                break;
            case U64:
                for (int i = 0; i < count; i++) {
                    long v = buf.getLong();
                    // Above 2^63 the signed view is negative; report the unsigned value.
                    out[from + i] = v < 0 ? failNarrow(Long.toUnsignedString(v), from + i) : narrow(v, from + i);
                }
                break;
            default:
                throw new IllegalStateException("no int decoding for " + type);
        }
    }

    private int narrow(long v, int index) throws IOException {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            return failNarrow(Long.toString(v), index);
        }
        return (int) v;
    }

    private int failNarrow(String value, int index) throws IOException {
        throw new TensorFileException(file, what + ": element " + index + " = " + value + " (" + type
                + ") does not fit in int32, the only integer dtype of a Tensor");
    }
}
