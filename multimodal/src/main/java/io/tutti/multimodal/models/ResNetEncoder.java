package io.tutti.multimodal.models;

import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.nn.Linear;
import io.tutti.nn.ResNet;
import io.tutti.tensor.Generator;

import java.util.Arrays;

/**
 * The seed papers' encoder (METHODS.md 0.1): a ResNet-18 ({@code nn.ResNet}, torchvision names
 * under {@code backbone.}) with any number of input channels and a configurable base width
 * (64 in the papers; the pooled features are {@code 8 x width} wide), without classifier. When the
 * requested feature width differs from {@code 8 x width}, a linear projection {@code proj} maps to it.
 */
public final class ResNetEncoder extends Encoder {
    private final ResNet backbone;
    private final Linear proj;
    private final int inChannels;
    private final int width;
    private final int featureDim;

    public ResNetEncoder(int inChannels, int width, int featureDim, Generator gen) {
        this.inChannels = inChannels;
        this.width = width;
        this.featureDim = featureDim;
        backbone = registerModule("backbone", ResNet.resnet18(inChannels, width, 0, gen));
        proj = backbone.featureDim() == featureDim ? null : registerModule("proj", new Linear(backbone.featureDim(), featureDim, gen));
        WeightInit.apply(this, gen);
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() != 4 || x.shape(1) != inChannels) {
            throw new IllegalArgumentException("ResNetEncoder: expects [B, " + inChannels + ", H, W], got " + Arrays.toString(x.shape()));
        }
        Variable h = backbone.forward(x);
        return proj == null ? h : proj.forward(h).relu();
    }

    @Override
    public int featureDim() {
        return featureDim;
    }

    @Override
    public String describe() {
        return "resnet18(width " + width + ", " + featureDim + "-d)";
    }
}
