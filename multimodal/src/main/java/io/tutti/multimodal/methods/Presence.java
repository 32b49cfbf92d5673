package io.tutti.multimodal.methods;

import io.tutti.tensor.Tensor;

/** Row selection by presence mask, for the steps that train one modality on the samples that have it. */
final class Presence {
    private Presence() {
    }

    /** The indices of the non-zero entries of a {@code [B]} mask, as an int32 tensor (possibly empty). */
    static Tensor rows(Tensor present) {
        double[] mask = present.toDoubleArray();
        int n = 0;
        for (double v : mask) {
            n += v != 0 ? 1 : 0;
        }
        int[] rows = new int[n];
        for (int i = 0, j = 0; i < mask.length; i++) {
            if (mask[i] != 0) {
                rows[j++] = i;
            }
        }
        return Tensor.of(rows, n);
    }

    /** The rows of {@code t} at {@code rows}, or {@code t} itself when every row is selected. */
    static Tensor select(Tensor t, Tensor rows) {
        return rows.shape(0) == t.shape(0) ? t : t.indexSelect(0, rows);
    }
}
