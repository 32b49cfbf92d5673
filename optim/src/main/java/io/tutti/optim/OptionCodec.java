package io.tutti.optim;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns option values ({@code Double}, {@code Boolean}, {@code double[]}) into strings and back,
 * for the string-only metadata of a safetensors header. The text is JSON ({@code 0.1},
 * {@code true}, {@code [0.9, 0.999]}) and doubles round-trip exactly, so a resumed run sees the very
 * same hyperparameters.
 */
final class OptionCodec {
    private OptionCodec() {
    }

    static String encode(Object value) {
        if (value instanceof Double) {
            return encodeDouble((Double) value);
        }
        if (value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof double[]) {
            double[] a = (double[]) value;
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < a.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(encodeDouble(a[i]));
            }
            return sb.append(']').toString();
        }
        throw new IllegalArgumentException("option codec: cannot encode " + (value == null ? "null" : value.getClass().getName()));
    }

    /** {@link Double#toString} round-trips exactly; NaN and infinities keep Java's spelling. */
    static String encodeDouble(double v) {
        return Double.toString(v);
    }

    static Object decode(String key, String text) {
        String s = text.trim();
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        if (s.startsWith("[") && s.endsWith("]")) {
            String body = s.substring(1, s.length() - 1).trim();
            List<Double> values = new ArrayList<>();
            if (!body.isEmpty()) {
                for (String part : body.split(",")) {
                    values.add(decodeDouble(key, part.trim()));
                }
            }
            double[] out = new double[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        }
        return decodeDouble(key, s);
    }

    static double decodeDouble(String key, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("state dict: value of '" + key + "' is not a number: '" + text + "'", e);
        }
    }
}
