package io.tutti.tensor.io;

import io.tutti.tensor.CpuStorage;
import io.tutti.tensor.Device;
import io.tutti.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/**
 * Writes a tensor's elements in row-major order and little-endian byte order, in its own dtype,
 * through a small buffer (so saving never holds a second full copy of the data as bytes).
 */
public final class ElementWriter {
    private static final int CHUNK_BYTES = 1 << 20;

    private ElementWriter() {
    }

    /** Writes {@code t.numel() * t.dtype().byteSize()} bytes. */
    public static void write(WritableByteChannel channel, Tensor t) throws IOException {
        Tensor h = t.device().isCpu() ? t.contiguous() : t.to(Device.CPU);
        CpuStorage storage = (CpuStorage) h.storage();
        int size = h.dtype().byteSize();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max((long) h.numel() * size, 8)))
                .order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = buf.capacity() / size;
        for (int done = 0; done < h.numel(); done += perChunk) {
            int count = Math.min(perChunk, h.numel() - done);
            int from = h.offset() + done;
            buf.clear();
            switch (h.dtype()) {
                case FLOAT32: buf.asFloatBuffer().put(storage.floats(), from, count); break;
                case FLOAT64: buf.asDoubleBuffer().put(storage.doubles(), from, count); break;
                default: buf.asIntBuffer().put(storage.ints(), from, count); break;
            }
            buf.limit(count * size);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        }
    }
}
