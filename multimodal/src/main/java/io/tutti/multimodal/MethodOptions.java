package io.tutti.multimodal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The free-form {@code --opt key=value} options of a method. A method reads the keys it knows with
 * a default ({@code options.getDouble("alpha", 0.3)}); every read is recorded, so after
 * {@link Method#init} the trainer can reject keys no method read ({@link #checkAllRead}), which
 * catches typos. Values that do not parse fail with the key, the value and what was expected.
 */
public final class MethodOptions {
    private final Map<String, String> values;
    private final Set<String> read = new LinkedHashSet<>();
    private final Map<String, String> defaultsSeen = new LinkedHashMap<>();

    public MethodOptions(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static MethodOptions empty() {
        return new MethodOptions(Map.of());
    }

    /** Parses {@code key=value} strings. */
    public static MethodOptions parse(List<String> pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : pairs) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--opt: expected key=value, got '" + p + "'");
            }
            m.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return new MethodOptions(m);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String getString(String key, String fallback) {
        note(key, fallback);
        return values.getOrDefault(key, fallback);
    }

    public double getDouble(String key, double fallback) {
        note(key, Double.toString(fallback));
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--opt " + key + "=" + v + ": expected a number");
        }
    }

    public int getInt(String key, int fallback) {
        note(key, Integer.toString(fallback));
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--opt " + key + "=" + v + ": expected an integer");
        }
    }

    public boolean getBoolean(String key, boolean fallback) {
        note(key, Boolean.toString(fallback));
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on":
                return true;
            case "false", "no", "0", "off":
                return false;
            default:
                throw new IllegalArgumentException("--opt " + key + "=" + v + ": expected true or false");
        }
    }

    /** A value that must be one of {@code choices} (compared ignoring case; the choice is returned as listed). */
    public String getChoice(String key, String fallback, String... choices) {
        String v = getString(key, fallback);
        for (String c : choices) {
            if (c.equalsIgnoreCase(v)) {
                return c;
            }
        }
        throw new IllegalArgumentException("--opt " + key + "=" + v + ": expected one of " + String.join(", ", choices));
    }

    private void note(String key, String fallback) {
        read.add(key);
        defaultsSeen.putIfAbsent(key, fallback);
    }

    /** The keys read so far, each with its effective value (given or default): what a run used. */
    public Map<String, String> effective() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : read) {
            out.put(k, values.getOrDefault(k, defaultsSeen.get(k)));
        }
        return out;
    }

    /** The options as given. */
    public Map<String, String> given() {
        return values;
    }

    /** Fails naming the given keys that were never read, and the keys that were. */
    public void checkAllRead(String methodName) {
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("method '" + methodName + "' does not know option(s) " + unknown
                    + (read.isEmpty() ? "; it takes no --opt options" : "; it reads " + new TreeSet<>(read)));
        }
    }
}
