package io.tutti.autograd;

import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records ops into the graph and runs it backward.
 *
 * <p>Backward is two iterative passes (no recursion, so a graph thousands of ops deep is fine):
 * the first walks everything reachable from the root and counts, for each node, how many edges
 * lead into it; the second is Kahn's algorithm, which runs a node only once all of its consumers
 * have run, so its gradient is complete (summed over fan-out) when its backward sees it.
 *
 * <p>Fan-out is summed into a tensor the engine allocated itself (the first sum), in place from
 * then on; a gradient a backward returned is never written to, since the op may still refer to it.
 * A slice of a node with fan-out adds its gradient straight into its part of that sum
 * ({@link Function#viewsPartOfInput}), so that query, key and value sliced out of one projection
 * cost one gradient tensor, not three whole ones and their sums.
 */
final class Engine {
    private Engine() {
    }

    /** Per-backward bookkeeping for one node: consumers still to run, and the gradient summed so far. */
    private static final class Slot {
        int pending;
        Tensor grad;
        /** Whether {@link #grad} is a sum the engine allocated, which nothing else refers to: later gradients go into it in place. */
        boolean owned;

        void add(Tensor g) {
            if (grad == null) {
                grad = g;
            } else if (owned) {
                grad.addInPlace(g);
            } else {
                grad = grad.add(g);
                owned = true;
            }
        }
    }

    // ------------------------------------------------------------------ forward

    static Variable apply(Function fn, Variable[] inputs) {
        Mode mode = Mode.current();
        int n = inputs.length;
        Tensor[] data = new Tensor[n];
        boolean anyRequiresGrad = false;
        for (int i = 0; i < n; i++) {
            Variable v = inputs[i];
            if (v == null) {
                throw new IllegalArgumentException(fn.name() + ": input " + i + " is null");
            }
            data[i] = v.data();
            anyRequiresGrad |= v.requiresGrad();
        }
        if (!anyRequiresGrad || !mode.gradEnabled) {
            Tensor out = timedForward(fn, Context.NOT_RECORDING, data, mode.profile);
            if (mode.anomaly) {
                checkForward(fn.name(), data, out, null);
            }
            return new Variable(out);
        }
        Context ctx = Context.forOp(fn, inputs, data);
        if (mode.anomaly) {
            ctx.createdAt = new Throwable("'" + fn.name() + "' was applied here");
        }
        Tensor out = timedForward(fn, ctx, data, mode.profile);
        if (mode.anomaly) {
            checkForward(fn.name(), data, out, ctx.createdAt);
        }
        return new Variable(out, ctx);
    }

    private static Tensor timedForward(Function fn, Context ctx, Tensor[] data, OpProfile profile) {
        if (profile == null) {
            return fn.forward(ctx, data);
        }
        long start = System.nanoTime();
        Tensor out = fn.forward(ctx, data);
        profile.forward(fn, data, System.nanoTime() - start);
        return out;
    }

    // ------------------------------------------------------------------ backward

    static void backward(Variable root, Tensor grad, boolean retainGraph) {
        Tensor g = rootGrad("backward", root, grad);
        run(root.node(), g, retainGraph, null, null);
    }

    static List<Tensor> grad(Variable output, List<Variable> inputs, Tensor gradOutput, boolean retainGraph) {
        Tensor[] results = new Tensor[inputs.size()];
        if (!output.requiresGrad()) {
            return Arrays.asList(results);
        }
        Tensor g = rootGrad("grad", output, gradOutput);
        Map<Context, List<Integer>> capture = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Variable v = inputs.get(i);
            if (v.requiresGrad()) {
                capture.computeIfAbsent(v.node(), k -> new ArrayList<>()).add(i);
            }
        }
        run(output.node(), g, retainGraph, capture, results);
        return Arrays.asList(results);
    }

    private static Tensor rootGrad(String op, Variable root, Tensor grad) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException(op + ": this variable does not require grad and was not made by a recorded op "
                    + "(was it computed under noGrad, or from inputs that do not require grad?)");
        }
        Tensor data = root.data();
        if (grad == null) {
            if (data.numel() != 1) {
                throw new IllegalArgumentException(op + ": a gradient can be created implicitly only for one-element outputs; "
                        + "this one has shape " + Arrays.toString(data.shape()) + ", so pass backward(grad)");
            }
            return data.onesLike();
        }
        if (!Arrays.equals(grad.shape(), data.shape())) {
            throw new IllegalArgumentException(op + ": gradient of shape " + Arrays.toString(grad.shape())
                    + " for an output of shape " + Arrays.toString(data.shape()));
        }
        return grad.to(data.dtype());
    }

    private static void run(Context root, Tensor rootGrad, boolean retainGraph,
                            Map<Context, List<Integer>> capture, Tensor[] captured) {
        if (root.freed) {
            throw freedError(root);
        }
        Map<Context, Slot> slots = countConsumers(root);
        Mode mode = Mode.current();
        boolean anomaly = mode.anomaly;
        OpProfile profile = mode.profile;
        slots.get(root).grad = rootGrad;
        ArrayDeque<Context> ready = new ArrayDeque<>();
        ready.push(root);
        try {
            while (!ready.isEmpty()) {
                Context node = ready.pop();
                Slot slot = slots.get(node);
                Tensor g = slot.grad;
                slot.grad = null;
                if (g != null && node.hooks != null) {
                    g = runHooks(node, g);
                }
                if (capture != null && g != null) {
                    List<Integer> at = capture.get(node);
                    if (at != null) {
                        for (int i : at) {
                            captured[i] = g;
                        }
                    }
                }
                if (node.leaf != null) {
                    if (g != null && capture == null) {
                        node.leaf.accumulateGrad(g);
                    }
                    continue;
                }
                if (g != null && !anomaly) {
                    long start = profile == null ? 0 : System.nanoTime();
                    if (addedIntoPart(node, g, slots)) {
                        if (profile != null) {
                            profile.backward(node, System.nanoTime() - start);   // the slice's backward, done here
                        }
                        g = null;
                    }
                }
                Tensor[] inputGrads = g == null ? null : callBackward(node, g, anomaly, profile);
                Context[] next = node.next;
                for (int i = 0; i < next.length; i++) {
                    Context child = next[i];
                    if (child == null) {
                        continue;
                    }
                    Slot cs = slots.get(child);
                    Tensor gi = inputGrads == null ? null : inputGrads[i];
                    if (gi != null) {
                        cs.add(gi);
                    }
                    if (--cs.pending == 0) {
                        ready.push(child);
                    }
                }
            }
        } finally {
            if (!retainGraph) {
                for (Context c : slots.keySet()) {
                    if (c.leaf == null) {
                        c.free();
                    }
                }
            }
        }
    }

    /**
     * For a slice whose input has other consumers: adds {@code g} into the slice's part of the
     * input's summed gradient, allocating that sum (zeros, or a copy of what has arrived so far) on
     * the first such slice. Returns false, leaving the work to backward, in every other case.
     */
    private static boolean addedIntoPart(Context node, Tensor g, Map<Context, Slot> slots) {
        if (node.next.length != 1 || node.next[0] == null || !node.function.viewsPartOfInput()) {
            return false;
        }
        Slot cs = slots.get(node.next[0]);
        if (!cs.owned) {
            if (cs.grad == null && cs.pending <= 1) {
                return false;   // the only gradient this input gets: backward's tensor is the sum
            }
            cs.grad = cs.grad == null ? Tensor.zeros(node.inputDType(0), g.device(), node.inputShapeRef(0)) : cs.grad.copy();
            cs.owned = true;
        }
        node.function.partOfInput(cs.grad).addInPlace(g);
        return true;
    }

    /** Every node reachable from {@code root}, with the number of edges that lead into it from reachable nodes. */
    private static Map<Context, Slot> countConsumers(Context root) {
        Map<Context, Slot> slots = new IdentityHashMap<>();
        slots.put(root, new Slot());
        ArrayDeque<Context> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty()) {
            Context node = todo.pop();
            for (Context child : node.next) {
                if (child == null) {
                    continue;
                }
                Slot s = slots.get(child);
                if (s == null) {
                    if (child.freed) {
                        throw freedError(child);
                    }
                    s = new Slot();
                    slots.put(child, s);
                    todo.push(child);
                }
                s.pending++;
            }
        }
        return slots;
    }

    private static Tensor runHooks(Context node, Tensor g) {
        for (java.util.function.Function<Tensor, Tensor> hook : new ArrayList<>(node.hooks)) {
            Tensor r = hook.apply(g);
            if (r != null) {
                if (!Arrays.equals(r.shape(), g.shape())) {
                    throw new IllegalStateException("hook: a gradient hook returned shape " + Arrays.toString(r.shape())
                            + " for a gradient of shape " + Arrays.toString(g.shape()));
                }
                g = r;
            }
        }
        return g;
    }

    private static Tensor[] callBackward(Context node, Tensor g, boolean anomaly, OpProfile profile) {
        long start = profile == null ? 0 : System.nanoTime();
        Tensor[] grads = node.function.backward(node, g);
        if (profile != null) {
            profile.backward(node, System.nanoTime() - start);
        }
        int n = node.next.length;
        if (grads == null || grads.length != n) {
            throw new IllegalStateException(node.name() + ": backward returned " + (grads == null ? "null" : grads.length + " gradients")
                    + " for " + n + " inputs");
        }
        for (int i = 0; i < n; i++) {
            Tensor gi = grads[i];
            if (gi == null || node.next[i] == null) {
                continue;
            }
            int[] want = node.inputShapeRef(i);
            if (!sameShape(gi, want)) {
                throw new IllegalStateException(node.name() + ": backward returned a gradient of shape " + Arrays.toString(gi.shape())
                        + " for input " + i + " of shape " + Arrays.toString(want));
            }
            DType dt = node.inputDType(i);
            if (gi.dtype() != dt) {
                grads[i] = gi = gi.to(dt);
            }
            if (anomaly && hasNonFinite(gi)) {
                throw new AnomalyException(node.name(), "anomaly: backward of '" + node.name() + "' produced NaN or infinity in "
                        + "the gradient of input " + i + createdAtText(node.createdAt), node.createdAt);
            }
        }
        return grads;
    }

    private static boolean sameShape(Tensor t, int[] shape) {
        if (t.dim() != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (t.shape(i) != shape[i]) {
                return false;
            }
        }
        return true;
    }

    private static IllegalStateException freedError(Context node) {
        return new IllegalStateException("backward: the graph through '" + node.name() + "' was already freed by an earlier "
                + "backward; pass retainGraph = true to the first backward to go through the graph again");
    }

    // ------------------------------------------------------------------ anomaly mode

    private static void checkForward(String name, Tensor[] inputs, Tensor out, Throwable createdAt) {
        if (!hasNonFinite(out)) {
            return;
        }
        StringBuilder inherited = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            if (hasNonFinite(inputs[i])) {
                inherited.append(inherited.length() == 0 ? " (already present in input " : ", ").append(i);
            }
        }
        if (inherited.length() > 0) {
            inherited.append(')');
        }
        Throwable where = createdAt != null ? createdAt : new Throwable("'" + name + "' was applied here");
        throw new AnomalyException(name, "anomaly: '" + name + "' produced NaN or infinity" + inherited
                + createdAtText(where), where);
    }

    /** NaN - NaN and inf - inf are NaN, and a NaN anywhere makes the sum NaN: one pass that works on every backend. */
    static boolean hasNonFinite(Tensor t) {
        if (!t.dtype().isFloating() || t.numel() == 0) {
            return false;
        }
        return Double.isNaN(t.sub(t).sum().item());
    }

    private static String createdAtText(Throwable createdAt) {
        if (createdAt == null) {
            return " (run the forward pass in anomaly mode too to see where the op was applied)";
        }
        for (StackTraceElement e : createdAt.getStackTrace()) {
            if (!isLibraryFrame(e.getClassName())) {
                return " at " + e;
            }
        }
        return "";
    }

    private static boolean isLibraryFrame(String cls) {
        return cls.startsWith("io.tutti.autograd.functions.") || cls.startsWith("io.tutti.tensor.")
                || cls.startsWith("java.") || cls.startsWith("jdk.") || cls.equals(Engine.class.getName())
                || cls.equals(Function.class.getName()) || cls.equals(Variable.class.getName())
                || cls.equals(Context.class.getName());
    }
}
