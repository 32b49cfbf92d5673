package io.tutti.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by the tensor layer and the layers above it: sizes, strides, broadcasting, axes. */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements of a shape (1 for a scalar's empty shape); fails on overflow or negative sizes. */
    public static int numel(int... shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("shape: negative size in " + Arrays.toString(shape));
            }
            n *= s;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape: " + Arrays.toString(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Row-major (C order) strides for a shape. */
    public static int[] contiguousStrides(int... shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** The NumPy broadcast of two shapes, or an error naming {@code op} and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        if (Arrays.equals(a, b)) {
            return a;
        }
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Turns a possibly negative axis into 0..rank-1, or fails naming {@code op}. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": dimension " + axis + " out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /** Normalises a set of axes; an empty array means all axes. Duplicates are an error. */
    public static boolean[] axesMask(String op, int[] axes, int rank) {
        boolean[] mask = new boolean[rank];
        if (axes == null || axes.length == 0) {
            Arrays.fill(mask, true);
            return mask;
        }
        for (int a : axes) {
            int n = axis(op, a, rank);
            if (mask[n]) {
                throw new IllegalArgumentException(op + ": dimension " + a + " repeated in " + Arrays.toString(axes));
            }
            mask[n] = true;
        }
        return mask;
    }

    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }
}
