package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Generator;

import java.util.Objects;

/**
 * A ResNet of {@link BasicBlock}s with torchvision's structure and parameter names ({@code conv1,
 * bn1, layer1.0.conv1, ..., layer4.1.bn2, fc}), generalised to any number of input channels and
 * any base width: the stem is a 7x7 stride-2 convolution and a 3x3 stride-2 max pool, then four
 * stages of widths {@code w, 2w, 4w, 8w} (the first at stride 1, the rest at stride 2), global
 * average pooling, and an optional classifier {@code fc}.
 *
 * <p>{@link #resnet18} with one input channel and width 64 is the audio encoder of the seed papers,
 * with three the visual one (METHODS.md section 0.1). Initialisation is torchvision's:
 * Kaiming-normal (fan out, ReLU) convolutions, batch norm weight 1 and bias 0, PyTorch's default
 * for {@code fc}.
 */
public class ResNet extends Layer {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final MaxPool2d maxpool;
    private final Sequential[] stages = new Sequential[4];
    private final AdaptiveAvgPool2d avgpool;
    private final Linear fc;
    private final int featureDim;

    /**
     * {@code blocks} per stage (ResNet-18: {@code {2, 2, 2, 2}}); {@code numClasses <= 0} leaves out
     * {@code fc}, so {@link #forward} returns the pooled features {@code [N, 8 * baseWidth]}.
     */
    public ResNet(int[] blocks, int inChannels, int baseWidth, int numClasses, Generator gen) {
        Objects.requireNonNull(gen, "ResNet: generator");
        if (blocks.length != 4 || inChannels <= 0 || baseWidth <= 0) {
            throw new IllegalArgumentException("ResNet: needs 4 stages, positive input channels and base width, got "
                    + blocks.length + " stages, " + inChannels + " channels, width " + baseWidth);
        }
        conv1 = registerModule("conv1", new Conv2d(inChannels, baseWidth, 7, 2, 3, false, gen));
        bn1 = registerModule("bn1", new BatchNorm2d(baseWidth));
        relu = registerModule("relu", new ReLU());
        maxpool = registerModule("maxpool", new MaxPool2d(3, 2, 1));
        int inPlanes = baseWidth;
        for (int i = 0; i < 4; i++) {
            int planes = baseWidth << i;
            Sequential stage = new Sequential();
            for (int b = 0; b < blocks[i]; b++) {
                stage.append(new BasicBlock(inPlanes, planes, b == 0 && i > 0 ? 2 : 1, gen));
                inPlanes = planes;
            }
            stages[i] = registerModule("layer" + (i + 1), stage);
        }
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        featureDim = inPlanes;
        fc = numClasses > 0 ? registerModule("fc", new Linear(inPlanes, numClasses, gen)) : null;
        apply(m -> {
            if (m instanceof Conv2d c) {
                Init.kaimingNormal(c.weight().data(), 0, Init.FanMode.FAN_OUT, Init.Nonlinearity.RELU, gen);
            }
        });
    }

    /** ResNet-18: two blocks per stage. */
    public static ResNet resnet18(int inChannels, int baseWidth, int numClasses, Generator gen) {
        return new ResNet(new int[] {2, 2, 2, 2}, inChannels, baseWidth, numClasses, gen);
    }

    /** The width of the pooled features, {@code 8 * baseWidth}. */
    public int featureDim() {
        return featureDim;
    }

    /** The classifier, or null without one. */
    public Linear fc() {
        return fc;
    }

    /** The last stage's feature map {@code [N, 8 * baseWidth, h, w]}, before pooling (what OGM-GE's encoders return). */
    public Variable featureMap(Variable x) {
        Variable y = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));
        for (Sequential stage : stages) {
            y = stage.forward(y);
        }
        return y;
    }

    /** Logits {@code [N, numClasses]}, or the pooled features {@code [N, 8 * baseWidth]} without {@code fc}. */
    @Override
    public Variable forward(Variable x) {
        Variable features = avgpool.forward(featureMap(x)).flatten(1, -1);
        return fc == null ? features : fc.forward(features);
    }
}
