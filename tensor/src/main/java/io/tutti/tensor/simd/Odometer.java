package io.tutti.tensor.simd;

/**
 * Walks the index space of some outer dimensions in row-major order while keeping, for each of
 * several operands, the storage offset of the current position. Moving to the next position is an
 * odometer step (bump the last index, carry into earlier ones); {@link #seek} jumps anywhere, which
 * is how each parallel task starts at its own range.
 */
final class Odometer {
    private final int[] sizes;
    /** Strides as [dimension][operand], so a step touches one small array. */
    private final int[][] strides;
    private final int[] base;
    private final int[] index;
    /** Storage offset of the current position, per operand. */
    final int[] at;

    Odometer(int[] sizes, int[][] strides, int[] base) {
        this.sizes = sizes;
        this.strides = strides;
        this.base = base;
        this.index = new int[sizes.length];
        this.at = base.clone();
    }

    /** Moves to position {@code position} (row-major over the sizes). */
    void seek(int position) {
        System.arraycopy(base, 0, at, 0, at.length);
        int rest = position;
        for (int d = sizes.length - 1; d >= 0; d--) {
            int i = rest % sizes[d];
            rest /= sizes[d];
            index[d] = i;
            int[] s = strides[d];
            for (int t = 0; t < at.length; t++) {
                at[t] += i * s[t];
            }
        }
    }

    /** Moves to the next position; after the last one it wraps around to the first. */
    void next() {
        for (int d = sizes.length - 1; d >= 0; d--) {
            int[] s = strides[d];
            if (++index[d] < sizes[d]) {
                for (int t = 0; t < at.length; t++) {
                    at[t] += s[t];
                }
                return;
            }
            index[d] = 0;
            for (int t = 0; t < at.length; t++) {
                at[t] -= s[t] * (sizes[d] - 1);
            }
        }
    }
}
