package io.tutti.multimodal.lora;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A pattern over dotted module names ({@code layer1.0.conv1}), as {@link io.tutti.nn.Module#namedModules()}
 * gives them. Two syntaxes:
 * <ul>
 *   <li>a glob (the default): {@code *} matches within one name part (no dot), {@code **} across
 *       parts, {@code ?} one character other than a dot; e.g. {@code layer*.*.conv?},
 *       {@code **.fc}, {@code **} (everything);</li>
 *   <li>a regular expression after {@code re:}, which must match the whole name, e.g.
 *       {@code re:layer[34]\..*conv2}.</li>
 * </ul>
 */
public final class ModulePattern {
    private final String text;
    private final Pattern regex;

    private ModulePattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** Parses a glob, or a regular expression after {@code re:}. */
    public static ModulePattern of(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("ModulePattern: empty pattern");
        }
        try {
            if (text.startsWith("re:")) {
                return new ModulePattern(text, Pattern.compile(text.substring(3)));
            }
            return new ModulePattern(text, Pattern.compile(globToRegex(text)));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("ModulePattern: invalid pattern '" + text + "': " + e.getDescription(), e);
        }
    }

    /** Whether the whole dotted name matches. */
    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    private static String globToRegex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                boolean twin = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
                if (twin) {
                    i++;
                    // "**." also matches nothing, so "**.fc" names a top-level "fc" too
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '.') {
                        i++;
                        sb.append("(?:.*\\.)?");
                    } else {
                        sb.append(".*");
                    }
                } else {
                    sb.append("[^.]*");
                }
            } else if (c == '?') {
                sb.append("[^.]");
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
