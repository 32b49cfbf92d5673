package io.tutti.tensor;

/**
 * A flat, typed block of elements that one or more {@link Tensor} views read through their shape,
 * strides and offset. Storage lives on a {@link Device}; CPU storage is a Java array
 * ({@link CpuStorage}), other devices subclass this for their own memory.
 */
public abstract class Storage {
    private final DType dtype;
    private final int size;

    protected Storage(DType dtype, int size) {
        if (size < 0) {
            throw new IllegalArgumentException("storage: negative size " + size);
        }
        this.dtype = dtype;
        this.size = size;
    }

    public final DType dtype() {
        return dtype;
    }

    /** Number of elements (not bytes). */
    public final int size() {
        return size;
    }

    public abstract Device device();
}
