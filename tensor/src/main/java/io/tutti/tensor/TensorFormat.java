package io.tutti.tensor;

import java.util.Arrays;
import java.util.Locale;

/** Prints tensors the way PyTorch users expect, eliding the middle of large dimensions. */
final class TensorFormat {
    private static final int EDGE = 3;
    private static final int SUMMARISE_ABOVE = 1000;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        Tensor h = t.device().isCpu() ? t : t.to(Device.CPU);
        boolean summarise = t.numel() > SUMMARISE_ABOVE;
        appendDim(sb, h, new int[t.dim()], 0, summarise, 7);
        sb.append(", shape=").append(Arrays.toString(t.shape()));
        sb.append(", dtype=").append(t.dtype().name().toLowerCase(Locale.ROOT));
        if (!t.device().isCpu()) {
            sb.append(", device=").append(t.device());
        }
        return sb.append(')').toString();
    }

    private static void appendDim(StringBuilder sb, Tensor t, int[] index, int d, boolean summarise, int indent) {
        if (d == t.dim()) {
            double v = t.get(index);
            sb.append(t.dtype() == DType.INT32 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4f", v));
            return;
        }
        sb.append('[');
        int n = t.shape(d);
        for (int i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE && i == EDGE) {
                sb.append("...");
                i = n - EDGE - 1;
                sb.append(d == t.dim() - 1 ? ", " : ",\n" + " ".repeat(indent + d + 1));
                continue;
            }
            index[d] = i;
            appendDim(sb, t, index, d + 1, summarise, indent);
            if (i < n - 1) {
                sb.append(d == t.dim() - 1 ? ", " : ",\n" + " ".repeat(indent + d + 1));
            }
        }
        sb.append(']');
    }
}
