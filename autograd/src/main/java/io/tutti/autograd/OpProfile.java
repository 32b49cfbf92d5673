package io.tutti.autograd;

import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time of forward and backward goes, op by op ({@code torch.autograd.profiler.profile}):
 * opened with {@link Autograd#profile}, it times every {@link Function}'s forward and backward run
 * on this thread until it is closed, and sums them per op name (and, when asked, per op name and
 * input shapes). The times are wall-clock and include the op's own parallel kernels; work outside
 * autograd ops (an optimizer step, plain tensor code) is not seen.
 *
 * <pre>{@code
 * try (OpProfile profile = Autograd.profile(false)) {
 *     loss = model.forward(x) ...; loss.backward();
 * }
 * System.out.println(profile.table());
 * }</pre>
 */
public final class OpProfile implements AutoCloseable {
    /** One op's totals: how often forward and backward ran, and for how long. */
    public record Entry(String op, long forwardCalls, long forwardNanos, long backwardCalls, long backwardNanos) {
        public long totalNanos() {
            return forwardNanos + backwardNanos;
        }
    }

    private final Map<String, long[]> totals = new LinkedHashMap<>();
    private final boolean recordShapes;
    private final Mode mode;
    private final OpProfile previous;
    private boolean open = true;

    OpProfile(Mode mode, boolean recordShapes) {
        this.mode = mode;
        this.recordShapes = recordShapes;
        this.previous = mode.profile;
    }

    /** Stops recording; the totals stay readable. */
    @Override
    public void close() {
        if (open) {
            open = false;
            mode.profile = previous;
        }
    }

    void forward(Function fn, Tensor[] inputs, long nanos) {
        add(key(fn.name(), inputs), 0, nanos);
    }

    void backward(Context node, long nanos) {
        add(key(node.name(), node), 2, nanos);
    }

    private String key(String op, Tensor[] inputs) {
        if (!recordShapes) {
            return op;
        }
        StringBuilder k = new StringBuilder(op);
        for (Tensor t : inputs) {
            k.append(' ').append(Arrays.toString(t.shape()));
        }
        return k.toString();
    }

    private String key(String op, Context node) {
        if (!recordShapes) {
            return op;
        }
        StringBuilder k = new StringBuilder(op);
        for (int i = 0; i < node.inputCount(); i++) {
            k.append(' ').append(Arrays.toString(node.inputShapeRef(i)));
        }
        return k.toString();
    }

    private void add(String key, int at, long nanos) {
        long[] t = totals.computeIfAbsent(key, k -> new long[4]);
        t[at]++;
        t[at + 1] += nanos;
    }

    /** Every op seen, the most expensive (forward plus backward) first. */
    public List<Entry> entries() {
        List<Entry> list = new ArrayList<>();
        totals.forEach((op, t) -> list.add(new Entry(op, t[0], t[1], t[2], t[3])));
        list.sort(Comparator.comparingLong(Entry::totalNanos).reversed());
        return list;
    }

    /** The sum of every op's forward and backward time. */
    public long totalNanos() {
        return totals.values().stream().mapToLong(t -> t[1] + t[3]).sum();
    }

    /** The entries as a text table: calls and milliseconds forward and backward, and the share of the total. */
    public String table() {
        List<Entry> list = entries();
        int width = Math.max(8, list.stream().mapToInt(e -> e.op().length()).max().orElse(0));
        double total = Math.max(1, totalNanos());
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %8s %11s %8s %11s %7s%n", "op",
                "fwd n", "fwd ms", "bwd n", "bwd ms", "share"));
        for (Entry e : list) {
            s.append(String.format(Locale.ROOT, "%-" + width + "s %8d %11.3f %8d %11.3f %6.1f%%%n", e.op(), e.forwardCalls(),
                    e.forwardNanos() / 1e6, e.backwardCalls(), e.backwardNanos() / 1e6, 100 * e.totalNanos() / total));
        }
        return s.toString();
    }
}
