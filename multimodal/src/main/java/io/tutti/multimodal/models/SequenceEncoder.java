package io.tutti.multimodal.models;

import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.nn.Init;
import io.tutti.nn.Linear;
import io.tutti.nn.ModuleList;
import io.tutti.nn.Parameter;
import io.tutti.nn.TransformerEncoderLayer;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.Arrays;

/**
 * A transformer encoder for sequences {@code [T, D]}: a linear input projection to the model width,
 * a learned positional embedding {@code pos [T, width]}, {@code layers} pre-norm
 * {@link TransformerEncoderLayer}s (feed-forward 2 x width, dropout 0.1, GELU), mean pooling over
 * time, and {@code relu(fc(.))} to the feature width.
 */
public final class SequenceEncoder extends Encoder {
    private final Linear input;
    private final Parameter pos;
    private final ModuleList<TransformerEncoderLayer> layers;
    private final Linear fc;
    private final int length;
    private final int inputDim;
    private final int width;
    private final int featureDim;

    public SequenceEncoder(int length, int inputDim, int width, int heads, int numLayers, int featureDim, Generator gen) {
        if (length < 1 || inputDim < 1 || width < 1 || heads < 1 || width % heads != 0 || numLayers < 0) {
            throw new IllegalArgumentException("SequenceEncoder: invalid sizes: length " + length + ", input " + inputDim + ", width "
                    + width + ", heads " + heads + " (must divide the width), layers " + numLayers);
        }
        this.length = length;
        this.inputDim = inputDim;
        this.width = width;
        this.featureDim = featureDim;
        input = registerModule("input", new Linear(inputDim, width, gen));
        pos = registerParameter("pos", new Parameter(Tensor.zeros(length, width)));
        Init.normal(pos.data(), 0, 0.02, gen);
        layers = registerModule("layers", new ModuleList<>());
        for (int i = 0; i < numLayers; i++) {
            layers.add(new TransformerEncoderLayer(width, heads, 2 * width, 0.1, TransformerEncoderLayer.Activation.GELU, 1e-5, true, gen));
        }
        fc = registerModule("fc", new Linear(width, featureDim, gen));
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() != 3 || x.shape(1) != length || x.shape(2) != inputDim) {
            throw new IllegalArgumentException("SequenceEncoder: expects [B, " + length + ", " + inputDim + "], got "
                    + Arrays.toString(x.shape()));
        }
        Variable h = input.forward(x).add(pos);
        for (TransformerEncoderLayer layer : layers) {
            h = layer.forward(h);
        }
        return fc.forward(h.mean(1, false)).relu();
    }

    @Override
    public int featureDim() {
        return featureDim;
    }

    @Override
    public String describe() {
        return "transformer(" + layers.size() + " layers, width " + width + ", " + featureDim + "-d)";
    }
}
