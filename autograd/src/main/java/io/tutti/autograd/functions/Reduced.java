package io.tutti.autograd.functions;

import io.tutti.tensor.Shapes;
import io.tutti.tensor.Tensor;

/** Shape bookkeeping for reductions: putting back the dimensions a reduction without keepDim dropped. */
final class Reduced {
    private Reduced() {
    }

    /** {@code inShape} with every reduced dimension set to 1 (null or empty {@code dims}: all). */
    static int[] keptShape(String op, int[] inShape, int[] dims) {
        boolean[] mask = Shapes.axesMask(op, dims, inShape.length);
        int[] kept = inShape.clone();
        for (int i = 0; i < kept.length; i++) {
            if (mask[i]) {
                kept[i] = 1;
            }
        }
        return kept;
    }

    /** How many input elements fold into each output element. */
    static int count(int[] inShape, int[] keptShape) {
        return Shapes.numel(inShape) / Math.max(1, Shapes.numel(keptShape));
    }

    /** A reduction's result or gradient reshaped to keep the reduced dimensions (as size 1). */
    static Tensor kept(Tensor t, int[] keptShape) {
        return t.reshape(keptShape);
    }
}
