package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.Objects;

/**
 * {@code torch.nn.TransformerEncoderLayer} with {@code batch_first=True}: self-attention and a
 * feed-forward block, each with a residual connection and layer norm, on {@code [B, L, dModel]}.
 * Post-norm (PyTorch's default) computes {@code x = norm1(x + sa(x)); x = norm2(x + ff(x))};
 * pre-norm ({@code normFirst}) computes {@code x = x + sa(norm1(x)); x = x + ff(norm2(x))}, with
 * {@code sa} the attention followed by {@code dropout1} and
 * {@code ff(x) = dropout2(linear2(dropout(activation(linear1(x)))))}.
 *
 * <p>Children have PyTorch's names and order: {@code self_attn, linear1, dropout, linear2, norm1,
 * norm2, dropout1, dropout2}, so state dicts move between the two unchanged.
 */
public class TransformerEncoderLayer extends Layer {
    /** The feed-forward activation. */
    public enum Activation {
        RELU, GELU
    }

    private final MultiheadAttention selfAttn;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final Activation activation;
    private final boolean normFirst;

    /** PyTorch's defaults apart from the sizes: dropout 0.1, ReLU, eps 1e-5, post-norm. */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, Generator gen) {
        this(dModel, nhead, dimFeedforward, 0.1, Activation.RELU, 1e-5, false, gen);
    }

    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, Activation activation,
                                   double layerNormEps, boolean normFirst, Generator gen) {
        Objects.requireNonNull(gen, "TransformerEncoderLayer: generator");
        this.activation = Objects.requireNonNull(activation, "TransformerEncoderLayer: activation");
        this.normFirst = normFirst;
        selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, gen));
        linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward, gen));
        this.dropout = registerModule("dropout", new Dropout(dropout, gen));
        linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel, gen));
        norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        dropout1 = registerModule("dropout1", new Dropout(dropout, gen));
        dropout2 = registerModule("dropout2", new Dropout(dropout, gen));
    }

    public MultiheadAttention selfAttn() {
        return selfAttn;
    }

    @Override
    public Variable forward(Variable x) {
        return forward(x, null, null);
    }

    /**
     * Encodes {@code x [B, L, dModel]}; {@code keyPaddingMask [B, L]} (non-zero: padding) and
     * {@code attnMask} may be null (see {@link MultiheadAttention} for the mask conventions).
     */
    public Variable forward(Variable x, Tensor keyPaddingMask, Tensor attnMask) {
        if (normFirst) {
            x = x.add(selfAttentionBlock(norm1.forward(x), keyPaddingMask, attnMask));
            return x.add(feedForwardBlock(norm2.forward(x)));
        }
        x = norm1.forward(x.add(selfAttentionBlock(x, keyPaddingMask, attnMask)));
        return norm2.forward(x.add(feedForwardBlock(x)));
    }

    private Variable selfAttentionBlock(Variable x, Tensor keyPaddingMask, Tensor attnMask) {
        return dropout1.forward(selfAttn.forward(x, x, x, keyPaddingMask, attnMask, false).output());
    }

    private Variable feedForwardBlock(Variable x) {
        Variable h = linear1.forward(x);
        h = activation == Activation.GELU ? h.gelu() : h.relu();
        return dropout2.forward(linear2.forward(dropout.forward(h)));
    }

    @Override
    public String toString() {
        return "TransformerEncoderLayer(" + selfAttn + ", activation=" + activation + ", normFirst=" + normFirst + ")";
    }
}
