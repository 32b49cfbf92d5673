package io.tutti.multimodal.models;

import io.tutti.autograd.Variable;
import io.tutti.nn.Linear;
import io.tutti.tensor.Generator;

import java.util.List;

/**
 * FiLM fusion (Perez et al. 2018): the other modalities condition the last one.
 * {@code [γ, β] = split(fc([h_1; ...; h_{M-1}]))}, {@code z = fc_out(γ ⊙ h_M + β)}, with
 * {@code fc: Σ_{m<M} d_m -> 2 d_M} and {@code fc_out: d_M -> K}. For two modalities this is
 * METHODS.md 0.2 with {@code x_film=True} (the first modality conditions the second).
 */
public final class FilmFusion extends Fusion {
    private final Linear fc;
    private final Linear fcOut;
    private final int[] dims;
    private final int last;

    public FilmFusion(int[] dims, int classes, Generator gen) {
        if (dims.length < 2) {
            throw new IllegalArgumentException("FilmFusion: needs at least two modalities, got " + dims.length);
        }
        this.dims = dims.clone();
        this.last = dims[dims.length - 1];
        int conditioning = 0;
        for (int i = 0; i + 1 < dims.length; i++) {
            conditioning += dims[i];
        }
        fc = registerModule("fc", new Linear(conditioning, 2 * last, gen));
        fcOut = registerModule("fc_out", new Linear(last, classes, gen));
    }

    @Override
    public Variable forward(List<Variable> features) {
        checkFeatures("FilmFusion", features, dims);
        List<Variable> cond = features.subList(0, features.size() - 1);
        Variable gb = fc.forward(cond.size() == 1 ? cond.get(0) : Variable.cat(1, cond));
        Variable gamma = gb.narrow(1, 0, last);
        Variable beta = gb.narrow(1, last, last);
        return fcOut.forward(gamma.mul(features.get(features.size() - 1)).add(beta));
    }

    @Override
    public boolean supportsHeadSplit() {
        return false;
    }

    @Override
    public String kind() {
        return "film";
    }
}
