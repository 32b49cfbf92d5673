package io.tutti.multimodal.methods;

import io.tutti.autograd.Variable;
import io.tutti.multimodal.Encoder;
import io.tutti.multimodal.MethodContext;
import io.tutti.multimodal.MultimodalBatch;
import io.tutti.multimodal.models.Fusion;
import io.tutti.multimodal.models.ModuleDict;
import io.tutti.nn.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * One encoder per modality ({@code encoders.<modality>.}) and a fusion head ({@code fusion.}):
 * the model of joint training and OGM-GE. Features of samples that lack a modality are zero-filled
 * before fusion, in training and at test time.
 */
public final class JointModel extends Module {
    private final ModuleDict<Encoder> encoders;
    private final Fusion fusion;
    private final List<String> modalities;

    public JointModel(MethodContext ctx) {
        this.modalities = ctx.modalities();
        encoders = registerModule("encoders", new ModuleDict<>());
        int[] dims = new int[modalities.size()];
        for (int i = 0; i < dims.length; i++) {
            Encoder e = encoders.put(modalities.get(i), ctx.newEncoder(modalities.get(i)));
            dims[i] = e.featureDim();
        }
        fusion = registerModule("fusion", Fusion.create(ctx.fusion(), modalities, dims, ctx.numClasses(), ctx.generator()));
    }

    public ModuleDict<Encoder> encoders() {
        return encoders;
    }

    public Fusion fusion() {
        return fusion;
    }

    public List<String> modalities() {
        return modalities;
    }

    /** Each modality's features {@code [B, d_m]}, zero-filled where the modality is missing. */
    public List<Variable> features(MultimodalBatch batch) {
        List<Variable> out = new ArrayList<>();
        for (String m : modalities) {
            Variable h = encoders.get(m).forward(batch.variable(m));
            out.add(batch.allPresent(m) ? h : MethodSupport.zeroFillMissing(h, batch.present(m)));
        }
        return out;
    }
}
