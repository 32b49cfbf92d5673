package io.tutti.multimodal.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Command-line options of one subcommand: {@code --name value}, {@code --name=value}, flags, and
 * repeatable options. Every option must be declared; an unknown one, a missing value or a stray
 * argument fails with a message that lists what the subcommand accepts.
 */
final class Args {
    private final String command;
    private final Set<String> valued = new LinkedHashSet<>();
    private final Set<String> flags = new LinkedHashSet<>();
    private final Set<String> repeated = new LinkedHashSet<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, List<String>> lists = new LinkedHashMap<>();
    private final Set<String> setFlags = new LinkedHashSet<>();

    Args(String command) {
        this.command = command;
    }

    Args valued(String... names) {
        valued.addAll(List.of(names));
        return this;
    }

    Args flags(String... names) {
        flags.addAll(List.of(names));
        return this;
    }

    Args repeated(String... names) {
        repeated.addAll(List.of(names));
        return this;
    }

    Args parse(List<String> argv) {
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (!a.startsWith("--")) {
                throw new UsageException(command + ": unexpected argument '" + a + "'; options start with -- (see tutti " + command + " --help)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException(command + ": --" + name + " takes no value");
                }
                setFlags.add(name);
                continue;
            }
            if (!valued.contains(name) && !repeated.contains(name)) {
                throw new UsageException(command + ": unknown option --" + name + "; valid options: " + known());
            }
            if (value == null) {
                if (i + 1 >= argv.size() || argv.get(i + 1).startsWith("--")) {
                    throw new UsageException(command + ": --" + name + " needs a value");
                }
                value = argv.get(++i);
            }
            if (repeated.contains(name)) {
                lists.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                values.put(name, value);
            }
        }
        return this;
    }

    private String known() {
        List<String> all = new ArrayList<>();
        valued.forEach(n -> all.add("--" + n));
        repeated.forEach(n -> all.add("--" + n));
        flags.forEach(n -> all.add("--" + n));
        return String.join(", ", all);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return values.containsKey(name) || setFlags.contains(name) || lists.containsKey(name);
    }

    boolean flag(String name) {
        return setFlags.contains(name);
    }

    List<String> list(String name) {
        return lists.getOrDefault(name, List.of());
    }

    int getInt(String name, int fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " expects an integer, got '" + v + "'");
        }
    }

    long getLong(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " expects an integer, got '" + v + "'");
        }
    }

    double getDouble(String name, double fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " expects a number, got '" + v + "'");
        }
    }

    /** A bad command line: printed without a stack trace, exit code 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
