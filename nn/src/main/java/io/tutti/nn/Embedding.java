package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.EmbeddingFn;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.Objects;

/**
 * {@code torch.nn.Embedding}: a table {@code weight [numEmbeddings, embeddingDim]} initialised
 * N(0, 1), looked up by int32 indices of any shape. With a padding index, that row starts at zero
 * and never receives a gradient.
 */
public class Embedding extends Layer {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final int paddingIdx;

    public Embedding(int numEmbeddings, int embeddingDim, Generator gen) {
        this(numEmbeddings, embeddingDim, null, gen);
    }

    /** {@code paddingIdx} may be negative to count from the end, as in PyTorch; null means none. */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Generator gen) {
        Objects.requireNonNull(gen, "Embedding: generator");
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got " + numEmbeddings + " x " + embeddingDim);
        }
        int pad = -1;
        if (paddingIdx != null) {
            pad = paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
            if (pad < 0 || pad >= numEmbeddings) {
                throw new IllegalArgumentException("Embedding: padding index " + paddingIdx + " is out of range for " + numEmbeddings
                        + " embeddings");
            }
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = pad;
        Parameter w = registerParameter("weight", new Parameter(Tensor.zeros(numEmbeddings, embeddingDim)));
        Init.normal(w.data(), 0, 1, gen);
        if (pad >= 0) {
            w.data().select(0, pad).zeroInPlace();
        }
    }

    public Parameter weight() {
        return parameter("weight");
    }

    /** Looks up the rows named by the int32 {@code indices}: shape {@code indices.shape + [embeddingDim]}. */
    @Override
    public Variable forward(Variable indices) {
        return new EmbeddingFn(paddingIdx).apply(weight(), indices);
    }

    @Override
    public String toString() {
        return "Embedding(" + numEmbeddings + ", " + embeddingDim + (paddingIdx >= 0 ? ", paddingIdx=" + paddingIdx : "") + ")";
    }
}
