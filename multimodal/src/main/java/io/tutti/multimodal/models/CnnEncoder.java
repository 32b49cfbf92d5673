package io.tutti.multimodal.models;

import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.nn.AdaptiveAvgPool2d;
import io.tutti.nn.BatchNorm2d;
import io.tutti.nn.Conv2d;
import io.tutti.nn.Linear;
import io.tutti.nn.MaxPool2d;
import io.tutti.nn.ReLU;
import io.tutti.nn.Sequential;
import io.tutti.tensor.Generator;

import java.util.Arrays;

/**
 * A small CNN for images and spectrograms {@code [C, H, W]}: three blocks of 3x3 convolution,
 * batch norm and ReLU with widths {@code w, 2w, 4w} (the first two followed by 2x2 max pooling),
 * global average pooling, then {@code relu(fc(.))} to the feature width. Cheap enough for CPU
 * training on 28x28 digits and 40x63 log-mel spectrograms.
 */
public final class CnnEncoder extends Encoder {
    private final Sequential features;
    private final Linear fc;
    private final int inChannels;
    private final int width;
    private final int featureDim;

    public CnnEncoder(int inChannels, int width, int featureDim, Generator gen) {
        if (inChannels < 1 || width < 1 || featureDim < 1) {
            throw new IllegalArgumentException("CnnEncoder: channels, width and features must be positive, got " + inChannels + ", "
                    + width + ", " + featureDim);
        }
        this.inChannels = inChannels;
        this.width = width;
        this.featureDim = featureDim;
        features = registerModule("features", new Sequential(
                new Conv2d(inChannels, width, 3, 1, 1, false, gen), new BatchNorm2d(width), new ReLU(), new MaxPool2d(2),
                new Conv2d(width, 2 * width, 3, 1, 1, false, gen), new BatchNorm2d(2 * width), new ReLU(), new MaxPool2d(2),
                new Conv2d(2 * width, 4 * width, 3, 1, 1, false, gen), new BatchNorm2d(4 * width), new ReLU(),
                new AdaptiveAvgPool2d(1)));
        fc = registerModule("fc", new Linear(4 * width, featureDim, gen));
        WeightInit.apply(this, gen);
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() != 4 || x.shape(1) != inChannels) {
            throw new IllegalArgumentException("CnnEncoder: expects [B, " + inChannels + ", H, W], got " + Arrays.toString(x.shape()));
        }
        return fc.forward(features.forward(x).flatten(1, -1)).relu();
    }

    @Override
    public int featureDim() {
        return featureDim;
    }

    @Override
    public String describe() {
        return "cnn(width " + width + ", " + featureDim + "-d)";
    }
}
