package io.tutti.multimodal.methods;

import io.tutti.autograd.Variable;
import io.tutti.nn.Adapter;
import io.tutti.nn.Linear;
import io.tutti.nn.Module;
import io.tutti.nn.Parameter;
import io.tutti.optim.FlatProjector;
import io.tutti.optim.GradientTransform;
import io.tutti.optim.StateDict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MIE's backward-phase interaction (METHODS.md §6.4 step 5, §6.5): the weight gradient G of each
 * linear layer of the modality being trained becomes G P, where P is the soft flat projector
 * ({@link FlatProjector}) built from the inputs that the matching ("twin") layer of the previously
 * trained modality saw over the training set. Directions that modality used heavily are damped
 * (by e^{−τ} at most); directions it did not use pass unchanged.
 *
 * <p>Twins are linear layers with the same weight shape. {@link Matching#PAIRED} (the default)
 * pairs them in order: the k-th layer of shape S in the trained modality with the k-th layer of
 * shape S in the other. {@link Matching#ALL_SAME_SHAPE} reproduces the released code, which
 * multiplies G by the P of every same-shaped layer of the other modality in turn. Convolutions
 * are left alone, as in the released code (it computes their P but never applies it).
 */
public final class FlatProjection {
    /** How layers of the two modalities are matched. */
    public enum Matching { PAIRED, ALL_SAME_SHAPE }

    private final Map<Parameter, List<FlatProjector>> projectors;
    private final List<FlatProjector> distinct;

    private FlatProjection(Map<Parameter, List<FlatProjector>> projectors, List<FlatProjector> distinct) {
        this.projectors = projectors;
        this.distinct = List.copyOf(distinct);
    }

    /** The linear layers of {@code modules}, in module order. */
    public static List<Linear> linearLayers(Module... modules) {
        List<Linear> out = new ArrayList<>();
        for (Module root : modules) {
            root.namedModules().values().forEach(m -> {
                if (m instanceof Linear l) {
                    out.add(l);
                }
            });
        }
        return out;
    }

    /** For each layer of {@code active}, the layers of {@code other} whose projectors it takes. */
    public static Map<Linear, List<Linear>> twins(List<Linear> active, List<Linear> other, Matching matching) {
        Map<Linear, List<Linear>> out = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Linear a : active) {
            String shape = Arrays.toString(a.weight().shape());
            List<Linear> same = other.stream().filter(o -> Arrays.toString(o.weight().shape()).equals(shape)).toList();
            if (matching == Matching.ALL_SAME_SHAPE) {
                if (!same.isEmpty()) {
                    out.put(a, same);
                }
            } else {
                int k = seen.merge(shape, 1, Integer::sum) - 1;
                if (k < same.size()) {
                    out.put(a, List.of(same.get(k)));
                }
            }
        }
        return out;
    }

    /**
     * Fits the projectors: records the inputs of every twin layer while {@code passOverData} runs the
     * other modality's data through its model (in evaluation mode, without gradients, as the caller
     * arranges), then computes each P with temperature τ. The recorders are detached afterwards.
     */
    public static FlatProjection fit(Map<Linear, List<Linear>> twins, Runnable passOverData, double tau) {
        Map<Linear, FlatProjector> byTwin = new LinkedHashMap<>();   // modules compare by identity; order is the twins' order
        Map<Linear, InputRecorder> recorders = new IdentityHashMap<>();
        twins.values().forEach(list -> list.forEach(o -> byTwin.computeIfAbsent(o, l -> {
            FlatProjector p = new FlatProjector(l.inFeatures());
            recorders.put(l, l.addAdapter("flat_recorder", new InputRecorder(p)));
            return p;
        })));
        try {
            passOverData.run();
        } finally {
            recorders.forEach(Linear::removeAdapter);
        }
        Map<Parameter, List<FlatProjector>> projectors = new IdentityHashMap<>();
        for (FlatProjector p : byTwin.values()) {
            if (p.batches() == 0) {
                throw new IllegalStateException("FlatProjection: a twin layer saw no input; did the pass run its modality?");
            }
            p.compute(tau);
        }
        twins.forEach((a, list) -> projectors.put(a.weight(), list.stream().map(byTwin::get).toList()));
        return new FlatProjection(projectors, new ArrayList<>(byTwin.values()));
    }

    /** How many weights of the trained modality are modified. */
    public int size() {
        return projectors.size();
    }

    /** The projectors applied to {@code weight}'s gradient, in order (empty when it has no twin). */
    public List<FlatProjector> projectorsFor(Parameter weight) {
        return projectors.getOrDefault(weight, List.of());
    }

    /** Each projector once, in a fixed order (the twins' order): what a checkpoint saves. */
    public List<FlatProjector> projectors() {
        return distinct;
    }

    /** The projectors' Σ and P, for checkpoints and best-state restores. */
    public StateDict stateDict() {
        StateDict sd = new StateDict();
        for (int i = 0; i < distinct.size(); i++) {
            sd.putAll(distinct.get(i).stateDict().prefixed(i + "."));
        }
        return sd;
    }

    /** Loads what {@link #stateDict()} saved into a projection of the same structure. */
    public void loadStateDict(StateDict sd) {
        for (int i = 0; i < distinct.size(); i++) {
            StateDict part = sd.section(i + ".");
            if (part.isEmpty()) {
                throw new IllegalArgumentException("FlatProjection.loadStateDict: no state for projector " + i + " of "
                        + distinct.size());
            }
            distinct.get(i).loadStateDict(part);
        }
    }

    /** A gradient transform: G ← G P (for every projector of that weight, in order). */
    public GradientTransform transform() {
        return GradientTransform.perParameter((p, g) -> {
            List<FlatProjector> list = projectors.get(p);
            if (list == null) {
                return null;
            }
            for (FlatProjector fp : list) {
                g = fp.project(g);
            }
            return g;
        });
    }

    /** Accumulates a linear layer's inputs into a projector and leaves its output alone. */
    private static final class InputRecorder extends Adapter {
        private final FlatProjector projector;

        InputRecorder(FlatProjector projector) {
            this.projector = projector;
        }

        @Override
        public Variable adapt(Variable input, Variable output) {
            projector.accumulate(input.data());
            return output;
        }
    }
}
