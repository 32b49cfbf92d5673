package io.tutti.opencl;

import io.tutti.tensor.DType;
import io.tutti.tensor.Device;
import io.tutti.tensor.Storage;
import org.jocl.CL;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;

/**
 * Tensor storage in an OpenCL buffer ({@code cl_mem}) on one device. Device memory is scarce and
 * invisible to the Java garbage collector, so release it deterministically with {@link #close()}
 * (or try-with-resources) when a large tensor is done; a {@link Cleaner} releases buffers that are
 * merely dropped, but only when the collector gets round to it. Using a closed storage fails with
 * a clear message. Empty storage holds no buffer at all.
 */
public final class OpenClStorage extends Storage implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final OpenClBackend backend;
    private final Buffer buffer;
    private final Cleaner.Cleanable cleanable;

    OpenClStorage(OpenClBackend backend, DType dtype, int size, cl_mem mem, OpenClContext context) {
        super(dtype, size);
        this.backend = backend;
        this.buffer = new Buffer(mem, (long) size * dtype.byteSize(), context);
        this.cleanable = CLEANER.register(this, buffer);
    }

    @Override
    public Device device() {
        return backend.device();
    }

    /** The backend whose device holds this storage. */
    OpenClBackend backend() {
        return backend;
    }

    /** Releases the device buffer now; later use of this storage (or any view of it) fails. Idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    public boolean isClosed() {
        return buffer.released;
    }

    /** The buffer, checked to be still alive; {@code null} for empty storage. */
    cl_mem mem(String op) {
        if (buffer.released) {
            throw new IllegalStateException(op + ": a tensor's storage on " + device() + " was released by close()");
        }
        return buffer.mem;
    }

    /**
     * The cleaning action: holds the buffer but not the storage, so that the storage can become
     * unreachable. OpenCL itself defers freeing until commands already queued on the buffer finish.
     */
    private static final class Buffer implements Runnable {
        private final cl_mem mem;
        private final long bytes;
        private final OpenClContext context;
        private volatile boolean released;

        Buffer(cl_mem mem, long bytes, OpenClContext context) {
            this.mem = mem;
            this.bytes = bytes;
            this.context = context;
        }

        @Override
        public void run() {
            released = true;
            if (mem != null) {
                CL.clReleaseMemObject(mem);
                context.released(bytes);
            }
        }
    }
}
