package io.tutti.multimodal;

import io.tutti.nn.Layer;

/**
 * A modality encoder: a layer mapping a batch of one modality's inputs {@code [B, ...]} to feature
 * vectors {@code [B, featureDim()]}. Implementations are in {@code io.tutti.multimodal.models}.
 */
public abstract class Encoder extends Layer {
    /** The width of the features this encoder returns. */
    public abstract int featureDim();

    /** A short description for logs and reports ({@code "cnn(32)"}, {@code "resnet18(w=16)"}). */
    public abstract String describe();
}
