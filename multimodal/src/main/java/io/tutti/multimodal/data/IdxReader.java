package io.tutti.multimodal.data;

import io.tutti.tensor.Tensor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST's IDX files (optionally gzip-compressed): a big-endian header of magic number and
 * dimension sizes, then unsigned bytes in row-major order. Only the unsigned-byte type (0x08) that
 * MNIST uses is accepted. The file is untrusted: the header is checked before anything is allocated,
 * and a short file is reported as truncated.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_ELEMENTS = 1 << 30;

    private IdxReader() {
    }

    /** The file's contents as an int32 tensor of its stored shape (values 0..255). */
    public static Tensor read(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(raw) : raw;
            return read(in, file.toString());
        }
    }

    static Tensor read(InputStream stream, String name) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IOException("idx: " + name + " is too short to hold a header");
        }
        if ((magic >>> 16) != 0) {
            throw new IOException("idx: " + name + " does not start with an IDX magic number (got 0x" + Integer.toHexString(magic) + ")");
        }
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new IOException("idx: " + name + " holds type 0x" + Integer.toHexString(type) + "; only unsigned bytes (0x08) are supported");
        }
        if (rank < 1 || rank > 4) {
            throw new IOException("idx: " + name + " declares " + rank + " dimensions; expected 1 to 4");
        }
        int[] shape = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            try {
                shape[i] = in.readInt();
            } catch (EOFException e) {
                throw new IOException("idx: " + name + " is truncated inside its header");
            }
            if (shape[i] < 0) {
                throw new IOException("idx: " + name + " declares a negative size in " + Arrays.toString(shape));
            }
            count *= shape[i];
            if (count > MAX_ELEMENTS) {
                throw new IOException("idx: " + name + " declares " + Arrays.toString(shape) + ", too many elements");
            }
        }
        byte[] bytes = new byte[(int) count];
        int got = in.readNBytes(bytes, 0, bytes.length);
        if (got < bytes.length) {
            throw new IOException("idx: " + name + " is truncated: shape " + Arrays.toString(shape) + " needs " + bytes.length
                    + " bytes of data but only " + got + " follow the header");
        }
        int[] values = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            values[i] = bytes[i] & 0xff;
        }
        return Tensor.of(values, shape);
    }
}
