package io.tutti.multimodal.models;

import io.tutti.autograd.Variable;
import io.tutti.nn.Linear;
import io.tutti.tensor.Generator;

import java.util.List;

/**
 * Gated fusion (Kiela et al. 2018): the other modalities gate the last one.
 * {@code g = σ(fc_x([h_1; ...; h_{M-1}]))}, {@code z = fc_out(g ⊙ fc_y(h_M))}, with
 * {@code fc_x: Σ_{m<M} d_m -> d_M}, {@code fc_y: d_M -> d_M}, {@code fc_out: d_M -> K}. For two
 * modalities this is METHODS.md 0.2 with {@code x_gate=True}.
 */
public final class GatedFusion extends Fusion {
    private final Linear fcX;
    private final Linear fcY;
    private final Linear fcOut;
    private final int[] dims;

    public GatedFusion(int[] dims, int classes, Generator gen) {
        if (dims.length < 2) {
            throw new IllegalArgumentException("GatedFusion: needs at least two modalities, got " + dims.length);
        }
        this.dims = dims.clone();
        int last = dims[dims.length - 1];
        int gating = 0;
        for (int i = 0; i + 1 < dims.length; i++) {
            gating += dims[i];
        }
        fcX = registerModule("fc_x", new Linear(gating, last, gen));
        fcY = registerModule("fc_y", new Linear(last, last, gen));
        fcOut = registerModule("fc_out", new Linear(last, classes, gen));
    }

    @Override
    public Variable forward(List<Variable> features) {
        checkFeatures("GatedFusion", features, dims);
        List<Variable> gating = features.subList(0, features.size() - 1);
        Variable g = fcX.forward(gating.size() == 1 ? gating.get(0) : Variable.cat(1, gating)).sigmoid();
        return fcOut.forward(g.mul(fcY.forward(features.get(features.size() - 1))));
    }

    @Override
    public boolean supportsHeadSplit() {
        return false;
    }

    @Override
    public String kind() {
        return "gated";
    }
}
