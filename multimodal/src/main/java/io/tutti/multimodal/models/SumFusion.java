package io.tutti.multimodal.models;

import io.tutti.autograd.Variable;
import io.tutti.nn.Linear;
import io.tutti.tensor.Generator;

import java.util.ArrayList;
import java.util.List;

/**
 * Sum fusion: one linear classifier per modality, {@code fc_<modality>: d_m -> K}, and
 * {@code z = Σ_m fc_m(h_m)} (METHODS.md's {@code fc_x}, {@code fc_y} for two modalities). Head
 * split: {@code z_m = fc_m(h_m)} with the full bias, as used in OGM-GE's training step.
 */
public final class SumFusion extends Fusion {
    private final List<Linear> heads = new ArrayList<>();
    private final int[] dims;

    public SumFusion(List<String> modalities, int[] dims, int classes, Generator gen) {
        if (modalities.size() != dims.length) {
            throw new IllegalArgumentException("SumFusion: " + modalities.size() + " modalities but " + dims.length + " widths");
        }
        this.dims = dims.clone();
        for (int i = 0; i < dims.length; i++) {
            heads.add(registerModule("fc_" + modalities.get(i), new Linear(dims[i], classes, gen)));
        }
    }

    @Override
    public Variable forward(List<Variable> features) {
        checkFeatures("SumFusion", features, dims);
        Variable z = heads.get(0).forward(features.get(0));
        for (int i = 1; i < dims.length; i++) {
            z = z.add(heads.get(i).forward(features.get(i)));
        }
        return z;
    }

    @Override
    public boolean supportsHeadSplit() {
        return true;
    }

    @Override
    public Variable headSplit(int m, Variable feature) {
        return heads.get(m).forward(feature);
    }

    @Override
    public String kind() {
        return "sum";
    }
}
