package io.tutti.multimodal.models;

import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.nn.Linear;
import io.tutti.tensor.Generator;

import java.util.Arrays;

/**
 * The encoder of vector modalities {@code [D]}: {@code relu(fc2(relu(fc1(x))))} with a hidden
 * width of {@code hidden}, giving non-negative features like a CNN's pooled ones.
 */
public final class MlpEncoder extends Encoder {
    private final Linear fc1;
    private final Linear fc2;
    private final int inputDim;
    private final int featureDim;

    public MlpEncoder(int inputDim, int hidden, int featureDim, Generator gen) {
        if (inputDim < 1 || hidden < 1 || featureDim < 1) {
            throw new IllegalArgumentException("MlpEncoder: sizes must be positive, got input " + inputDim + ", hidden " + hidden
                    + ", features " + featureDim);
        }
        this.inputDim = inputDim;
        this.featureDim = featureDim;
        fc1 = registerModule("fc1", new Linear(inputDim, hidden, gen));
        fc2 = registerModule("fc2", new Linear(hidden, featureDim, gen));
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() != 2 || x.shape(1) != inputDim) {
            throw new IllegalArgumentException("MlpEncoder: expects [B, " + inputDim + "], got " + Arrays.toString(x.shape()));
        }
        return fc2.forward(fc1.forward(x).relu()).relu();
    }

    @Override
    public int featureDim() {
        return featureDim;
    }

    @Override
    public String describe() {
        return "mlp(" + inputDim + "->" + fc1.outFeatures() + "->" + featureDim + ")";
    }
}
