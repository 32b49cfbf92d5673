package io.tutti.optim;

import io.tutti.nn.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of parameters that share hyperparameters, as PyTorch's {@code param_groups}: give the
 * encoder a smaller learning rate than the head, or exclude biases from weight decay.
 *
 * <p>Options are named as in PyTorch ({@code lr}, {@code weight_decay}, {@code momentum},
 * {@code betas}, ...) and hold a {@code Double}, a {@code Boolean} or a {@code double[]}. Options a
 * group does not set are filled from the optimizer's defaults when the group is added, so every
 * option the optimizer reads is present afterwards. Schedulers change {@link #lr(double)} in place.
 *
 * <pre>{@code
 * new SGD(List.of(
 *         ParamGroup.of(encoder.parameters()).lr(1e-4),
 *         ParamGroup.of(head.parameters())),           // lr from the defaults
 *     SGD.options().lr(1e-3).momentum(0.9));
 * }</pre>
 */
public final class ParamGroup {
    public static final String LR = "lr";
    public static final String WEIGHT_DECAY = "weight_decay";
    public static final String MOMENTUM = "momentum";
    public static final String DAMPENING = "dampening";
    public static final String NESTEROV = "nesterov";
    public static final String BETAS = "betas";
    public static final String EPS = "eps";
    public static final String AMSGRAD = "amsgrad";
    /** The learning rate a scheduler started from (set by the first scheduler, as in PyTorch). */
    public static final String INITIAL_LR = "initial_lr";

    private final List<Parameter> params;
    private final LinkedHashMap<String, Object> options = new LinkedHashMap<>();

    private ParamGroup(List<? extends Parameter> params) {
        if (params == null) {
            throw new IllegalArgumentException("ParamGroup: params is null");
        }
        for (Parameter p : params) {
            if (p == null) {
                throw new IllegalArgumentException("ParamGroup: a parameter is null");
            }
        }
        this.params = Collections.unmodifiableList(new ArrayList<>(params));
    }

    /** A group of {@code params} (in order: the order defines their index in state dicts). */
    public static ParamGroup of(List<? extends Parameter> params) {
        return new ParamGroup(params);
    }

    public static ParamGroup of(Parameter... params) {
        return new ParamGroup(List.of(params));
    }

    public List<Parameter> params() {
        return params;
    }

    // ------------------------------------------------------------------ generic options

    /** Sets an option; the value must be a {@code Double} (or other number), {@code Boolean} or {@code double[]}. */
    public ParamGroup set(String name, Object value) {
        options.put(checkName(name), normalise(name, value));
        return this;
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** Sets {@code name} to {@code value} unless the group already sets it. */
    ParamGroup setDefault(String name, Object value) {
        if (!options.containsKey(name)) {
            set(name, value);
        }
        return this;
    }

    public double getDouble(String name) {
        Object v = require(name);
        if (!(v instanceof Double)) {
            throw new IllegalStateException("ParamGroup: option '" + name + "' is " + describe(v) + ", not a number");
        }
        return (Double) v;
    }

    public boolean getBoolean(String name) {
        Object v = require(name);
        if (!(v instanceof Boolean)) {
            throw new IllegalStateException("ParamGroup: option '" + name + "' is " + describe(v) + ", not a boolean");
        }
        return (Boolean) v;
    }

    public double[] getDoubles(String name) {
        Object v = require(name);
        if (!(v instanceof double[])) {
            throw new IllegalStateException("ParamGroup: option '" + name + "' is " + describe(v) + ", not a list of numbers");
        }
        return ((double[]) v).clone();
    }

    /** The options by name (a read-only view; arrays are shared, do not modify them). */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    // ------------------------------------------------------------------ typed shortcuts

    public double lr() {
        return getDouble(LR);
    }

    public ParamGroup lr(double lr) {
        if (!(lr >= 0)) {
            throw new IllegalArgumentException("ParamGroup: learning rate must be non-negative, got " + lr);
        }
        return set(LR, lr);
    }

    public double weightDecay() {
        return getDouble(WEIGHT_DECAY);
    }

    public ParamGroup weightDecay(double weightDecay) {
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("ParamGroup: weight decay must be non-negative, got " + weightDecay);
        }
        return set(WEIGHT_DECAY, weightDecay);
    }

    public double momentum() {
        return getDouble(MOMENTUM);
    }

    public ParamGroup momentum(double momentum) {
        return set(MOMENTUM, momentum);
    }

    public ParamGroup betas(double beta1, double beta2) {
        return set(BETAS, new double[] {beta1, beta2});
    }

    // ------------------------------------------------------------------ helpers

    private Object require(String name) {
        Object v = options.get(name);
        if (v == null) {
            throw new IllegalStateException("ParamGroup: no option '" + name + "' (options: " + options.keySet() + ")");
        }
        return v;
    }

    private static String checkName(String name) {
        if (name == null || name.isEmpty() || name.equals("params") || name.contains(".")) {
            throw new IllegalArgumentException("ParamGroup: invalid option name '" + name + "' (non-empty, no dots, not 'params')");
        }
        return name;
    }

    private static Object normalise(String name, Object value) {
        if (value instanceof Number) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof double[]) {
            return ((double[]) value).clone();
        }
        throw new IllegalArgumentException("ParamGroup: option '" + name + "' must be a number, boolean or double[], got "
                + describe(value));
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        boolean encodable = v instanceof Double || v instanceof Boolean || v instanceof double[];
        return v.getClass().getSimpleName() + " " + (encodable ? OptionCodec.encode(v) : String.valueOf(v));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ParamGroup(").append(params.size()).append(" params");
        options.forEach((k, v) -> sb.append(", ").append(k).append('=').append(OptionCodec.encode(v)));
        return sb.append(')').toString();
    }
}
