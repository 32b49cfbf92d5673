package io.tutti.tensor;

/**
 * Storage in a Java array on the heap: exactly one of {@link #floats()}, {@link #doubles()} or
 * {@link #ints()} is present, chosen by the dtype. Every CPU backend reads and writes the same
 * arrays, so a tensor can move between the reference and SIMD backends without a copy.
 */
public final class CpuStorage extends Storage {
    private final float[] floats;
    private final double[] doubles;
    private final int[] ints;

    private CpuStorage(DType dtype, int size, float[] f, double[] d, int[] i) {
        super(dtype, size);
        this.floats = f;
        this.doubles = d;
        this.ints = i;
    }

    public static CpuStorage allocate(DType dtype, int size) {
        switch (dtype) {
            case FLOAT32: return new CpuStorage(dtype, size, new float[size], null, null);
            case FLOAT64: return new CpuStorage(dtype, size, null, new double[size], null);
            default: return new CpuStorage(dtype, size, null, null, new int[size]);
        }
    }

    /** Wraps (does not copy) the array. */
    public static CpuStorage wrap(float[] data) {
        return new CpuStorage(DType.FLOAT32, data.length, data, null, null);
    }

    /** Wraps (does not copy) the array. */
    public static CpuStorage wrap(double[] data) {
        return new CpuStorage(DType.FLOAT64, data.length, null, data, null);
    }

    /** Wraps (does not copy) the array. */
    public static CpuStorage wrap(int[] data) {
        return new CpuStorage(DType.INT32, data.length, null, null, data);
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("storage: float32 array requested from " + dtype() + " storage");
        }
        return floats;
    }

    public double[] doubles() {
        if (doubles == null) {
            throw new IllegalStateException("storage: float64 array requested from " + dtype() + " storage");
        }
        return doubles;
    }

    public int[] ints() {
        if (ints == null) {
            throw new IllegalStateException("storage: int32 array requested from " + dtype() + " storage");
        }
        return ints;
    }

    /** Element {@code i} widened to double, whatever the dtype. */
    public double get(int i) {
        switch (dtype()) {
            case FLOAT32: return floats[i];
            case FLOAT64: return doubles[i];
            default: return ints[i];
        }
    }

    /** Stores {@code v} at {@code i}, rounding to float or truncating toward zero to int as the dtype needs. */
    public void set(int i, double v) {
        switch (dtype()) {
            case FLOAT32: floats[i] = (float) v; break;
            case FLOAT64: doubles[i] = v; break;
            default: ints[i] = (int) v; break;
        }
    }
}
