package io.tutti.optim;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.HookHandle;
import io.tutti.nn.Parameter;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of every optimizer: parameter groups with their hyperparameters, per-parameter state,
 * gradient transforms, and saving all of it.
 *
 * <p>{@link #step()} first runs the gradient transforms, then calls {@link #update} once per
 * parameter that has a gradient (parameters whose gradient is null, frozen or unused in this
 * step, are skipped and their state untouched), all under {@link Autograd#noGrad()}. Updates write
 * into {@link Parameter#data()} in place, so views of parameters stay valid.
 *
 * <p>State dicts follow PyTorch's layout: parameters are numbered across groups in order
 * (group 0's parameters first), state is saved per number, and each group saves its options and
 * the numbers of its parameters. Loading requires the same group structure and replaces the
 * options (so a resumed run continues with the learning rate it stopped at).
 */
public abstract class Optimizer {
    private final LinkedHashMap<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final IdentityHashMap<Parameter, ParamState> state = new IdentityHashMap<>();
    private final List<GradientTransform> transforms = new ArrayList<>();

    /**
     * @param groups   the parameter groups; options they leave unset come from {@code defaults}
     * @param defaults every option this optimizer reads, with its default value
     */
    protected Optimizer(List<ParamGroup> groups, Map<String, Object> defaults) {
        if (groups == null || groups.isEmpty()) {
            throw new IllegalArgumentException(name() + ": needs at least one parameter group");
        }
        this.defaults = new LinkedHashMap<>(defaults);
        for (ParamGroup g : groups) {
            addParamGroup(g);
        }
    }

    /** Wraps a plain parameter list in one group. */
    protected static List<ParamGroup> oneGroup(List<? extends Parameter> params) {
        if (params == null) {
            throw new IllegalArgumentException("optimizer: params is null");
        }
        return List.of(ParamGroup.of(params));
    }

    /** The optimizer's name for messages and state dicts. */
    public String name() {
        return getClass().getSimpleName();
    }

    // ------------------------------------------------------------------ groups

    /**
     * Adds a group (fine-tuning a layer that was frozen, say). Options it leaves unset are taken from
     * the defaults; a parameter may belong to only one group.
     */
    public final void addParamGroup(ParamGroup group) {
        for (Parameter p : group.params()) {
            if (!p.dtype().isFloating()) {
                throw new IllegalArgumentException(name() + ": can only optimize floating parameters, got " + p.dtype());
            }
            for (ParamGroup other : groups) {
                for (Parameter q : other.params()) {
                    if (q == p) {
                        throw new IllegalArgumentException(name() + ": a parameter of shape " + Arrays.toString(p.shape())
                                + " appears in more than one parameter group");
                    }
                }
            }
        }
        if (hasDuplicates(group.params())) {
            throw new IllegalArgumentException(name() + ": a parameter group lists the same parameter twice");
        }
        defaults.forEach(group::setDefault);
        validate(group);
        groups.add(group);
    }

    private static boolean hasDuplicates(List<Parameter> params) {
        IdentityHashMap<Parameter, Boolean> seen = new IdentityHashMap<>();
        for (Parameter p : params) {
            if (seen.put(p, Boolean.TRUE) != null) {
                return true;
            }
        }
        return false;
    }

    /** Checks a group's options once they are complete; throws {@link IllegalArgumentException} naming the bad one. */
    protected void validate(ParamGroup group) {
        if (!(group.lr() >= 0)) {
            throw new IllegalArgumentException(name() + ": learning rate must be non-negative, got " + group.lr());
        }
    }

    public final List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** The default options new groups are completed with (read-only). */
    public final Map<String, Object> defaults() {
        return Collections.unmodifiableMap(defaults);
    }

    /** Every parameter, group by group: the order of the indices in state dicts. */
    public final List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (ParamGroup g : groups) {
            all.addAll(g.params());
        }
        return all;
    }

    /** The state of {@code p}, created empty on first use. */
    public final ParamState state(Parameter p) {
        ParamState s = state.get(p);
        if (s == null) {
            if (!owns(p)) {
                throw new IllegalArgumentException(name() + ": the parameter of shape " + Arrays.toString(p.shape())
                        + " is not in any of this optimizer's groups");
            }
            s = new ParamState();
            state.put(p, s);
        }
        return s;
    }

    private boolean owns(Parameter p) {
        for (ParamGroup g : groups) {
            for (Parameter q : g.params()) {
                if (q == p) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ gradient transforms

    /** Adds a transform that runs on the gradients at the start of every {@link #step()}. */
    public final HookHandle addGradientTransform(GradientTransform transform) {
        if (transform == null) {
            throw new IllegalArgumentException(name() + ": gradient transform is null");
        }
        transforms.add(transform);
        return () -> transforms.remove(transform);
    }

    // ------------------------------------------------------------------ stepping

    /** Clears every parameter's gradient (to null, like PyTorch's default {@code set_to_none=True}). */
    public void zeroGrad() {
        for (ParamGroup g : groups) {
            for (Parameter p : g.params()) {
                p.zeroGrad();
            }
        }
    }

    /** Runs the gradient transforms, then updates every parameter that has a gradient. */
    @SuppressWarnings("try")   // the scope is opened only to be closed
    public void step() {
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            List<Parameter> params = parameters();
            for (GradientTransform t : transforms) {
                t.apply(params);
            }
            for (ParamGroup g : groups) {
                for (Parameter p : g.params()) {
                    Tensor grad = p.grad();
                    if (grad != null) {
                        update(g, p, grad, state(p));
                    }
                }
            }
        }
    }

    /**
     * Calls {@code closure} (which recomputes the loss and gradients) with gradients enabled, then
     * steps; returns the loss.
     */
    @SuppressWarnings("try")   // the scope is opened only to be closed
    public double step(Closure closure) {
        double loss;
        try (Autograd.Scope ignored = Autograd.enableGrad()) {
            loss = closure.evaluate();
        }
        step();
        return loss;
    }

    /**
     * Updates one parameter in place from its gradient; called under no-grad. {@code state} is empty
     * on the parameter's first update.
     */
    protected abstract void update(ParamGroup group, Parameter param, Tensor grad, ParamState state);

    // ------------------------------------------------------------------ state dicts

    /**
     * The optimizer's state: tensors {@code state.<index>.<name>}, and metadata
     * {@code state.<index>.<name>} for scalars, {@code param_groups.<g>.<option>} and
     * {@code param_groups.<g>.params} (the indices, as in PyTorch). The tensors are the live
     * buffers, not copies.
     */
    public StateDict stateDict() {
        StateDict sd = new StateDict();
        sd.putString("optimizer", name());
        sd.putLong("num_param_groups", groups.size());
        int index = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            double[] indices = new double[g.params().size()];
            for (int j = 0; j < indices.length; j++, index++) {
                indices[j] = index;
                ParamState s = state.get(g.params().get(j));
                if (s != null) {
                    String prefix = "state." + index + ".";
                    s.tensors().forEach((k, v) -> sd.put(prefix + k, v));
                    s.scalars().forEach((k, v) -> sd.putDouble(prefix + k, v));
                }
            }
            String prefix = "param_groups." + gi + ".";
            sd.putString(prefix + "params", encodeIndices(indices));
            g.options().forEach((k, v) -> sd.putString(prefix + k, OptionCodec.encode(v)));
        }
        return sd;
    }

    /**
     * Restores a state saved by {@link #stateDict()} of an optimizer of the same kind over parameters
     * of the same shapes and grouping. State tensors are copied (into each parameter's dtype and
     * device); nothing changes unless the whole state checks out.
     */
    public void loadStateDict(StateDict sd) {
        String saved = sd.getString("optimizer");
        if (!saved.equals(name())) {
            throw new IllegalArgumentException(name() + ": loadStateDict: the state was saved by " + saved);
        }
        int n = sd.getInt("num_param_groups");
        if (n != groups.size()) {
            throw new IllegalArgumentException(name() + ": loadStateDict: the state has " + n + " parameter groups, this optimizer "
                    + groups.size());
        }
        List<Parameter> params = parameters();
        List<Map<String, Object>> newOptions = new ArrayList<>();
        int index = 0;
        for (int gi = 0; gi < n; gi++) {
            String prefix = "param_groups." + gi + ".";
            int size = groups.get(gi).params().size();
            String expected = encodeIndices(range(index, size));
            String got = sd.getString(prefix + "params");
            if (!expected.equals(got)) {
                throw new IllegalArgumentException(name() + ": loadStateDict: parameter group " + gi + " holds parameters " + got
                        + " in the state but " + expected + " here; the grouping must match");
            }
            index += size;
            Map<String, Object> options = new LinkedHashMap<>();
            sd.section(prefix).metadata().forEach((k, v) -> {
                if (!k.equals("params")) {
                    options.put(k, OptionCodec.decode(prefix + k, v));
                }
            });
            newOptions.add(options);
        }
        IdentityHashMap<Parameter, ParamState> newState = new IdentityHashMap<>();
        StateDict stateSection = sd.section("state.");
        stateSection.tensors().forEach((k, v) -> {
            Parameter p = parameterFor(params, k);
            String entry = k.substring(k.indexOf('.') + 1);
            checkStateTensor(entry, p, v);
            Tensor copy = v.to(p.dtype()).to(p.device());
            newState.computeIfAbsent(p, q -> new ParamState()).putTensor(entry, copy == v ? v.copy() : copy.contiguous());
        });
        stateSection.metadata().forEach((k, v) -> {
            Parameter p = parameterFor(params, k);
            String entry = k.substring(k.indexOf('.') + 1);
            newState.computeIfAbsent(p, q -> new ParamState()).putScalar(entry, OptionCodec.decodeDouble("state." + k, v));
        });
        for (int gi = 0; gi < n; gi++) {
            ParamGroup g = groups.get(gi);
            newOptions.get(gi).forEach(g::set);
        }
        state.clear();
        state.putAll(newState);
    }

    /** Checks a saved state tensor against its parameter; by default it must have the parameter's shape. */
    protected void checkStateTensor(String name, Parameter param, Tensor value) {
        if (!Arrays.equals(value.shape(), param.shape())) {
            throw new IllegalArgumentException(this.name() + ": loadStateDict: state '" + name + "' has shape "
                    + Arrays.toString(value.shape()) + " but its parameter has shape " + Arrays.toString(param.shape()));
        }
    }

    private Parameter parameterFor(List<Parameter> params, String key) {
        int dot = key.indexOf('.');
        String number = dot < 0 ? key : key.substring(0, dot);
        int i;
        try {
            i = Integer.parseInt(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name() + ": loadStateDict: malformed state key 'state." + key + "'", e);
        }
        if (dot < 0 || i < 0 || i >= params.size()) {
            throw new IllegalArgumentException(name() + ": loadStateDict: state key 'state." + key + "' does not name one of the "
                    + params.size() + " parameters");
        }
        return params.get(i);
    }

    private static double[] range(int start, int size) {
        double[] r = new double[size];
        for (int i = 0; i < size; i++) {
            r[i] = start + i;
        }
        return r;
    }

    private static String encodeIndices(double[] indices) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < indices.length; i++) {
            sb.append(i == 0 ? "" : ", ").append((long) indices[i]);
        }
        return sb.append(']').toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name()).append('(');
        for (int i = 0; i < groups.size(); i++) {
            sb.append("\n  group ").append(i).append(": ").append(groups.get(i));
        }
        return sb.append(groups.isEmpty() ? ")" : "\n)").toString();
    }
}
