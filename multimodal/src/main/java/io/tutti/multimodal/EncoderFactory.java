package io.tutti.multimodal;

import io.tutti.tensor.Generator;

/**
 * Builds the encoder of a modality from its per-sample shape and the feature width wanted; the
 * default chooses by shape (vectors: MLP, {@code [C, H, W]}: CNN, {@code [T, D]}: transformer) and
 * the user may choose per modality ({@code --encoder audio=resnet18}). Every call builds new,
 * independent parameters drawn from {@code gen}.
 */
@FunctionalInterface
public interface EncoderFactory {
    Encoder create(String modality, int[] sampleShape, int featureDim, Generator gen);
}
