package io.tutti.tensor.simd;

/**
 * A float array one thread keeps for reuse across calls (packed panels, padded images): grown when a
 * call needs more, never shrunk, so a steady workload allocates it once.
 */
final class ScratchArray {
    private float[] data = new float[0];

    /** The array, at least {@code size} long; its contents are whatever the previous user left there. */
    float[] atLeast(int size) {
        if (data.length < size) {
            data = new float[size];
        }
        return data;
    }
}
