package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Generator;

/**
 * torchvision's ResNet {@code BasicBlock}: two 3x3 convolutions (no bias) with batch norm, and a
 * residual connection, {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))}. When the stride
 * is not 1 or the width changes, the shortcut is {@code downsample}: a 1x1 strided convolution and
 * batch norm. Children are named as torchvision names them ({@code conv1, bn1, relu, conv2, bn2,
 * downsample.0, downsample.1}).
 */
public class BasicBlock extends Layer {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final ReLU relu;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    public BasicBlock(int inPlanes, int planes, int stride, Generator gen) {
        conv1 = registerModule("conv1", new Conv2d(inPlanes, planes, 3, stride, 1, false, gen));
        bn1 = registerModule("bn1", new BatchNorm2d(planes));
        relu = registerModule("relu", new ReLU());
        conv2 = registerModule("conv2", new Conv2d(planes, planes, 3, 1, 1, false, gen));
        bn2 = registerModule("bn2", new BatchNorm2d(planes));
        downsample = stride != 1 || inPlanes != planes
                ? registerModule("downsample", new Sequential(new Conv2d(inPlanes, planes, 1, stride, 0, false, gen),
                        new BatchNorm2d(planes)))
                : null;
    }

    /** The shortcut projection, or null when the shortcut is the identity. */
    public Sequential downsample() {
        return downsample;
    }

    @Override
    public Variable forward(Variable x) {
        Variable out = relu.forward(bn1.forward(conv1.forward(x)));
        out = bn2.forward(conv2.forward(out));
        Variable shortcut = downsample == null ? x : downsample.forward(x);
        return relu.forward(out.add(shortcut));
    }
}
