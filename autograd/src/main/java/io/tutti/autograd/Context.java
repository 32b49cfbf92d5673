package io.tutti.autograd;

import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of one application of a {@link Function}: what its {@code forward} saved for
 * {@code backward}, which inputs need a gradient, and the inputs' shapes and dtypes. It is also the
 * node of the graph the engine walks backward (PyTorch's {@code ctx} is its {@code grad_fn} too): it
 * links to the nodes that made its inputs.
 *
 * <p>A leaf variable that requires a gradient gets a node of its own with no function, where the
 * gradients flowing into the leaf are summed and stored.
 */
public final class Context {
    /** The context forward runs with when nothing is recorded: it keeps nothing and needs no gradient. */
    static final Context NOT_RECORDING = new Context(null, null);

    final Function function;
    final Variable leaf;
    Context[] next;
    private boolean[] needsInputGrad;
    private int[][] inputShapes;
    private DType[] inputDTypes;
    private Tensor[] saved;
    private Map<String, Object> attributes;
    boolean freed;
    Throwable createdAt;
    List<java.util.function.Function<Tensor, Tensor>> hooks;

    private Context(Function function, Variable leaf) {
        this.function = function;
        this.leaf = leaf;
    }

    /** The node of an op application whose inputs are {@code inputs} (with data {@code data}). */
    static Context forOp(Function function, Variable[] inputs, Tensor[] data) {
        Context c = new Context(function, null);
        int n = inputs.length;
        c.next = new Context[n];
        c.needsInputGrad = new boolean[n];
        c.inputShapes = new int[n][];
        c.inputDTypes = new DType[n];
        for (int i = 0; i < n; i++) {
            Variable v = inputs[i];
            if (v.requiresGrad()) {
                c.needsInputGrad[i] = true;
                c.next[i] = v.node();
            }
            c.inputShapes[i] = data[i].shape();
            c.inputDTypes[i] = data[i].dtype();
        }
        return c;
    }

    /** The node where gradients for the leaf {@code v} are gathered. */
    static Context forLeaf(Variable v) {
        Context c = new Context(null, v);
        c.next = new Context[0];
        return c;
    }

    boolean isRecording() {
        return this != NOT_RECORDING;
    }

    // ---------------------------------------------------------------- for Function implementations

    /** Keeps tensors for backward; call once per forward. Ignored when no graph is being recorded. */
    public void saveForBackward(Tensor... tensors) {
        if (isRecording()) {
            saved = tensors;
        }
    }

    /** The {@code i}-th tensor given to {@link #saveForBackward}. */
    public Tensor saved(int i) {
        checkAlive();
        if (saved == null || i < 0 || i >= saved.length) {
            throw new IllegalStateException(name() + ": backward asked for saved tensor " + i + " but forward saved "
                    + (saved == null ? 0 : saved.length));
        }
        return saved[i];
    }

    /** All the tensors given to {@link #saveForBackward}, in order. */
    public List<Tensor> savedTensors() {
        checkAlive();
        return saved == null ? List.of() : Arrays.asList(saved);
    }

    /** Whether input {@code i} requires a gradient; backward may skip (return null for) the others. */
    public boolean needsInputGrad(int i) {
        return needsInputGrad != null && needsInputGrad[i];
    }

    /** How many inputs the op was applied to. */
    public int inputCount() {
        return inputShapes == null ? 0 : inputShapes.length;
    }

    /** The shape input {@code i} had in forward. */
    public int[] inputShape(int i) {
        return inputShapes[i].clone();
    }

    /** The dtype input {@code i} had in forward. */
    public DType inputDType(int i) {
        return inputDTypes[i];
    }

    /** Keeps a non-tensor value for backward (a size list, a flag). Ignored when no graph is being recorded. */
    public void setAttribute(String key, Object value) {
        if (isRecording()) {
            if (attributes == null) {
                attributes = new HashMap<>(4);
            }
            attributes.put(key, value);
        }
    }

    /** A value kept by {@link #setAttribute}. */
    @SuppressWarnings("unchecked")
    public <T> T attribute(String key) {
        checkAlive();
        if (attributes == null || !attributes.containsKey(key)) {
            throw new IllegalStateException(name() + ": backward asked for attribute '" + key + "' that forward did not set");
        }
        return (T) attributes.get(key);
    }

    // ---------------------------------------------------------------- for the engine

    int[] inputShapeRef(int i) {
        return inputShapes[i];
    }

    String name() {
        return function != null ? function.name() : "accumulateGrad";
    }

    private void checkAlive() {
        if (freed) {
            throw new IllegalStateException(name() + ": saved tensors were freed by an earlier backward");
        }
    }

    void addHook(java.util.function.Function<Tensor, Tensor> hook) {
        if (hooks == null) {
            hooks = new ArrayList<>(2);
        }
        hooks.add(hook);
    }

    /** Drops what backward needed, after a backward that did not retain the graph. */
    void free() {
        saved = null;
        attributes = null;
        freed = true;
    }
}
