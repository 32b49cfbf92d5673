package io.tutti.multimodal.models;

import io.tutti.autograd.Variable;
import io.tutti.nn.Linear;
import io.tutti.tensor.Generator;

import java.util.List;

/**
 * Concat fusion: {@code z = fc_out([h_1; ...; h_M])} with {@code fc_out: Σ d_m -> K}. Head split
 * (OGM-GE's convention): {@code z_m = h_m W[:, slice_m]ᵀ + b / M}.
 */
public final class ConcatFusion extends Fusion {
    private final Linear fcOut;
    private final int[] dims;
    private final int[] offsets;

    public ConcatFusion(int[] dims, int classes, Generator gen) {
        this.dims = dims.clone();
        this.offsets = new int[dims.length];
        int total = 0;
        for (int i = 0; i < dims.length; i++) {
            offsets[i] = total;
            total += dims[i];
        }
        fcOut = registerModule("fc_out", new Linear(total, classes, gen));
    }

    /** The classifier {@code fc_out}. */
    public Linear fcOut() {
        return fcOut;
    }

    @Override
    public Variable forward(List<Variable> features) {
        checkFeatures("ConcatFusion", features, dims);
        return fcOut.forward(Variable.cat(1, features));
    }

    @Override
    public boolean supportsHeadSplit() {
        return true;
    }

    @Override
    public Variable headSplit(int m, Variable feature) {
        Variable w = fcOut.weight().narrow(1, offsets[m], dims[m]);
        return feature.matmul(w.t()).add(fcOut.bias().div(dims.length));
    }

    @Override
    public String kind() {
        return "concat";
    }
}
