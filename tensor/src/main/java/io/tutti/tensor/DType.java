package io.tutti.tensor;

/**
 * The element types a {@link Tensor} can hold: two floating types for values and gradients, and a
 * 32-bit integer type for indices and labels.
 *
 * <p>Promotion follows PyTorch's order for the types we have: {@code INT32 < FLOAT32 < FLOAT64}.
 * There is no boolean type: comparisons return 1 and 0 in the promoted type of their inputs, and
 * masks treat any non-zero element as true.
 */
public enum DType {
    FLOAT32(4, "F32"),
    FLOAT64(8, "F64"),
    INT32(4, "I32");

    private final int byteSize;
    private final String shortName;

    DType(int byteSize, String shortName) {
        this.byteSize = byteSize;
        this.shortName = shortName;
    }

    /** Bytes one element occupies. */
    public int byteSize() {
        return byteSize;
    }

    /** The safetensors spelling of this type ({@code F32}, {@code F64}, {@code I32}). */
    public String shortName() {
        return shortName;
    }

    public boolean isFloating() {
        return this != INT32;
    }

    /** The type both operands of a binary operation are computed in. */
    public static DType promote(DType a, DType b) {
        return a.ordinalRank() >= b.ordinalRank() ? a : b;
    }

    private int ordinalRank() {
        switch (this) {
            case INT32: return 0;
            case FLOAT32: return 1;
            default: return 2;
        }
    }
}
