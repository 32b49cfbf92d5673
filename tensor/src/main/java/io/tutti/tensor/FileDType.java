package io.tutti.tensor;

import java.util.Optional;

/**
 * The element encodings that tensor files (safetensors, {@code .npy}) may hold, which are more
 * than the three {@link DType}s a {@link Tensor} has in memory. Readers convert each one to
 * {@link #target()}: small integers and booleans widen to {@code INT32} exactly, 64-bit and unsigned
 * 32-bit integers narrow to {@code INT32} only when every value fits (otherwise the read fails),
 * and the half-precision floats {@code F16} and {@code BF16} widen to {@code FLOAT32} exactly.
 */
public enum FileDType {
    BOOL(1, DType.INT32),
    U8(1, DType.INT32),
    I8(1, DType.INT32),
    I16(2, DType.INT32),
    U16(2, DType.INT32),
    I32(4, DType.INT32),
    U32(4, DType.INT32),
    I64(8, DType.INT32),
    U64(8, DType.INT32),
    F16(2, DType.FLOAT32),
    BF16(2, DType.FLOAT32),
    F32(4, DType.FLOAT32),
    F64(8, DType.FLOAT64);

    private final int byteSize;
    private final DType target;

    FileDType(int byteSize, DType target) {
        this.byteSize = byteSize;
        this.target = target;
    }

    /** Bytes one element occupies in the file. */
    public int byteSize() {
        return byteSize;
    }

    /** The in-memory dtype a reader converts this encoding to. */
    public DType target() {
        return target;
    }

    /** Whether reading converts without any possible loss or failure (every value is representable). */
    public boolean isExactWidening() {
        return this != I64 && this != U32 && this != U64;
    }

    /** The safetensors spelling, which is the constant's name ({@code F32}, {@code BF16}, ...). */
    public String safetensorsName() {
        return name();
    }

    /** The encoding spelled {@code name} in a safetensors header, if we know it. */
    public static Optional<FileDType> fromSafetensorsName(String name) {
        for (FileDType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The file encoding that stores {@code dtype} without conversion. */
    public static FileDType of(DType dtype) {
        switch (dtype) {
            case FLOAT32: return F32;
            case FLOAT64: return F64;
            default: return I32;
        }
    }
}
