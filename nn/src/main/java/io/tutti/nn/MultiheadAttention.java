package io.tutti.nn;

import io.tutti.autograd.Variable;
import io.tutti.autograd.functions.DropoutFn;
import io.tutti.autograd.functions.LinearFn;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * {@code torch.nn.MultiheadAttention} with {@code batch_first=True}: query {@code [B, L, E]}, key
 * and value {@code [B, S, E]}, {@code numHeads} heads of {@code E / numHeads} dimensions each.
 *
 * <p>Parameters have PyTorch's layout and names: {@code in_proj_weight [3E, E]} (the query, key and
 * value projections stacked, Xavier-uniform), {@code in_proj_bias [3E]} (zeros) and
 * {@code out_proj} (a {@link Linear} with a zero bias). Key and value must have the query's
 * embedding size ({@code kdim = vdim = E}).
 *
 * <p>Masks follow PyTorch: an int32 mask marks with non-zero the positions that may not be attended
 * to (PyTorch's boolean {@code True}), a floating mask is added to the attention scores. The key
 * padding mask is {@code [B, S]}; the attention mask is {@code [L, S]} or {@code [B * numHeads, L, S]}.
 */
public class MultiheadAttention extends Module {
    private final int embedDim;
    private final int numHeads;
    private final double dropout;
    private final Generator gen;
    private final Linear outProj;

    /** The attended output {@code [B, L, E]} and, when asked for, the weights averaged over heads {@code [B, L, S]}. */
    public record Result(Variable output, Variable weights) {
    }

    public MultiheadAttention(int embedDim, int numHeads, Generator gen) {
        this(embedDim, numHeads, 0, true, gen);
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, Generator gen) {
        this.gen = Objects.requireNonNull(gen, "MultiheadAttention: generator");
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim " + embedDim + " must be divisible by numHeads "
                    + numHeads);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1], got " + dropout);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        Parameter w = registerParameter("in_proj_weight", new Parameter(Tensor.zeros(3 * embedDim, embedDim)));
        Init.xavierUniform(w.data(), 1, gen);
        registerParameter("in_proj_bias", bias ? new Parameter(Tensor.zeros(3 * embedDim)) : null);
        outProj = registerModule("out_proj", new Linear(embedDim, embedDim, bias, gen));
        if (bias) {
            Init.zeros(outProj.bias().data());
        }
    }

    public Parameter inProjWeight() {
        return parameter("in_proj_weight");
    }

    /** The stacked input projection bias, or null without biases. */
    public Parameter inProjBias() {
        return parameter("in_proj_bias");
    }

    public Linear outProj() {
        return outProj;
    }

    public int numHeads() {
        return numHeads;
    }

    /** Attention without masks; only the output. */
    public Variable forward(Variable query, Variable key, Variable value) {
        return forward(query, key, value, null, null, false).output();
    }

    /**
     * Attends {@code query} to {@code key}/{@code value}. {@code keyPaddingMask} and
     * {@code attnMask} may be null; with {@code needWeights} the result also holds the attention
     * weights averaged over heads (after dropout, as PyTorch returns them).
     */
    public Result forward(Variable query, Variable key, Variable value, Tensor keyPaddingMask, Tensor attnMask,
                          boolean needWeights) {
        int b = query.shape(0);
        int l = checkInput("query", query, -1);
        int s = checkInput("key", key, b);
        if (checkInput("value", value, b) != s) {
            throw new IllegalArgumentException("MultiheadAttention: key of shape " + Arrays.toString(key.shape())
                    + " and value of shape " + Arrays.toString(value.shape()) + " differ in length");
        }
        int d = embedDim / numHeads;
        Variable q;
        Variable k;
        Variable v;
        if (query == key && key == value) {
            // Self-attention: one product with the stacked [3E, E] projection, as PyTorch does, instead
            // of three with its slices (and, backward, one weight gradient and no sum of three input gradients).
            Variable qkv = projectAll(query);
            q = heads(qkv.narrow(2, 0, embedDim), b, l, d);
            k = heads(qkv.narrow(2, embedDim, embedDim), b, s, d);
            v = heads(qkv.narrow(2, 2 * embedDim, embedDim), b, s, d);
        } else {
            q = heads(project(query, 0), b, l, d);
            k = heads(project(key, 1), b, s, d);
            v = heads(project(value, 2), b, s, d);
        }

        Variable scores = q.matmul(k.mT()).mul(1 / Math.sqrt(d));   // [B, H, L, S]
        if (keyPaddingMask != null) {
            checkMask("key padding mask", keyPaddingMask, new int[] {b, s});
            scores = masked(scores, keyPaddingMask.reshape(b, 1, 1, s));
        }
        if (attnMask != null) {
            if (attnMask.dim() == 2) {
                checkMask("attention mask", attnMask, new int[] {l, s});
                scores = masked(scores, attnMask.reshape(1, 1, l, s));
            } else {
                checkMask("attention mask", attnMask, new int[] {b * numHeads, l, s});
                scores = masked(scores, attnMask.reshape(b, numHeads, l, s));
            }
        }
        Variable attn = DropoutFn.dropout(scores.softmax(-1), dropout, isTraining(), gen);
        Variable context = attn.matmul(v).permute(0, 2, 1, 3).reshape(b, l, embedDim);
        Variable out = outProj.forward(context);
        return new Result(out, needWeights ? attn.mean(1, false) : null);
    }

    /** The {@code part}-th (0 query, 1 key, 2 value) slice of the stacked input projection applied to {@code x}. */
    private Variable project(Variable x, int part) {
        Parameter bias = inProjBias();
        return LinearFn.linear(x, inProjWeight().narrow(0, part * embedDim, embedDim),
                bias == null ? null : bias.narrow(0, part * embedDim, embedDim));
    }

    /** The whole stacked input projection applied to {@code x}: query, key and value side by side, {@code [B, T, 3E]}. */
    private Variable projectAll(Variable x) {
        return LinearFn.linear(x, inProjWeight(), inProjBias());
    }

    /** {@code [B, T, E]} to {@code [B, H, T, d]}. */
    private Variable heads(Variable x, int b, int t, int d) {
        return x.reshape(b, t, numHeads, d).permute(0, 2, 1, 3);
    }

    private static Variable masked(Variable scores, Tensor mask) {
        return mask.dtype().isFloating() ? scores.add(mask.to(scores.dtype())) : scores.maskedFill(mask, Double.NEGATIVE_INFINITY);
    }

    private int checkInput(String what, Variable x, int batch) {
        if (x.dim() != 3 || x.shape(2) != embedDim || (batch >= 0 && x.shape(0) != batch)) {
            throw new IllegalArgumentException("MultiheadAttention: " + what + " of shape " + Arrays.toString(x.shape())
                    + " must be [" + (batch >= 0 ? String.valueOf(batch) : "B") + ", length, " + embedDim + "] (batch first)");
        }
        return x.shape(1);
    }

    private static void checkMask(String what, Tensor mask, int[] shape) {
        if (!Arrays.equals(mask.shape(), shape)) {
            throw new IllegalArgumentException("MultiheadAttention: " + what + " of shape " + Arrays.toString(mask.shape())
                    + " must be " + Arrays.toString(shape));
        }
    }

    @Override
    public String toString() {
        return "MultiheadAttention(embedDim=" + embedDim + ", numHeads=" + numHeads + ", dropout=" + dropout + ")";
    }
}
