package io.tutti.tensor.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the few Python literals an {@code .npy} header holds (what Python's
 * {@code ast.literal_eval} would accept for them): dicts, tuples, lists, quoted strings, integers
 * (with Python 2's optional {@code L} suffix), {@code True}, {@code False} and {@code None}.
 * Results are {@link LinkedHashMap}, {@link Tuple}, {@link List}, {@link String}, {@link Long},
 * {@link Boolean} and {@link #NONE}. Anything else is an error with its character position.
 */
public final class PyLiteral {
    /** Python's {@code None}. */
    public static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private static final int MAX_DEPTH = 32;

    /** A Python tuple, kept apart from lists because {@code .npy} shapes must be tuples. */
    public static final class Tuple {
        private final List<Object> items;

        Tuple(List<Object> items) {
            this.items = Collections.unmodifiableList(items);
        }

        public List<Object> items() {
            return items;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < items.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(items.get(i));
            }
            return sb.append(items.size() == 1 ? ",)" : ")").toString();
        }
    }

    /** The text is not a literal this parser accepts. */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;

    private PyLiteral(String text) {
        this.text = text;
    }

    /** Parses one literal, optionally surrounded by whitespace. */
    public static Object parse(String text) throws SyntaxException {
        PyLiteral p = new PyLiteral(text);
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected " + p.describeHere() + " after the end of the literal");
        }
        return v;
    }

    private Object value(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
        skipWhitespace();
        char c = peek();
        if (c == '{') {
            return dict(depth);
        }
        if (c == '(' || c == '[') {
            return sequence(depth);
        }
        if (c == '\'' || c == '"') {
            return string();
        }
        if (c == '-' || c == '+' || isDigit(c)) {
            return integer();
        }
        if (Character.isLetter(c)) {
            return name();
        }
        throw error("unexpected " + describeHere() + ", expected a value");
    }

    private Map<Object, Object> dict(int depth) throws SyntaxException {
        pos++; // '{'
        Map<Object, Object> map = new LinkedHashMap<>();
        while (true) {
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            int keyPos = pos;
            Object key = value(depth + 1);
            if (!(key instanceof String)) {
                throw new SyntaxException("dict key at character " + keyPos + " is not a string");
            }
            skipWhitespace();
            expect(':');
            Object v = value(depth + 1);
            if (map.putIfAbsent(key, v) != null) {
                throw new SyntaxException("duplicate key '" + key + "' at character " + keyPos);
            }
            if (!separator('}')) {
                return map;
            }
        }
    }

    /** A tuple {@code (...)} or a list {@code [...]}; {@code (x)} without a comma is just {@code x}, as in Python. */
    private Object sequence(int depth) throws SyntaxException {
        char open = text.charAt(pos++);
        char close = open == '(' ? ')' : ']';
        List<Object> items = new ArrayList<>();
        boolean sawComma = false;
        while (true) {
            skipWhitespace();
            if (peek() == close) {
                pos++;
                break;
            }
            items.add(value(depth + 1));
            boolean more = separator(close);
            sawComma |= more;
            if (!more) {
                break;
            }
        }
        if (open == '[') {
            return items;
        }
        return items.size() == 1 && !sawComma ? items.get(0) : new Tuple(items);
    }

    /** After an item: consumes ',' (returns true: more may follow) or the closing bracket (returns false). */
    private boolean separator(char close) throws SyntaxException {
        skipWhitespace();
        char c = peek();
        if (c == ',') {
            pos++;
            return true;
        }
        if (c == close) {
            pos++;
            return false;
        }
        throw error("unexpected " + describeHere() + ", expected ',' or '" + close + "'");
    }

    private String string() throws SyntaxException {
        int start = pos;
        char quote = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw new SyntaxException("unterminated string starting at character " + start);
            }
            char c = text.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = pos < text.length() ? text.charAt(pos++) : '\0';
            switch (e) {
                case '\\': case '\'': case '"': sb.append(e); break;
                case 'n': sb.append('\n'); break;
                case 't': sb.append('\t'); break;
                default:
                    pos--;
                    throw error("unsupported escape in a string");
            }
        }
    }

    private Long integer() throws SyntaxException {
        int start = pos;
        if (peek() == '-' || peek() == '+') {
            pos++;
        }
        if (!isDigit(peek())) {
            throw error("unexpected " + describeHere() + ", expected a digit");
        }
        while (isDigit(peek())) {
            pos++;
        }
        String digits = text.substring(start, pos);
        if (peek() == 'L' || peek() == 'l') {
            pos++; // Python 2 long suffix, found in old .npy files
        }
        try {
            return Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
        } catch (NumberFormatException e) {
            throw new SyntaxException("integer " + digits + " at character " + start + " is out of range");
        }
    }

    private Object name() throws SyntaxException {
        int start = pos;
        while (Character.isLetterOrDigit(peek()) || peek() == '_') {
            pos++;
        }
        String word = text.substring(start, pos);
        switch (word) {
            case "True": return Boolean.TRUE;
            case "False": return Boolean.FALSE;
            case "None": return NONE;
            default: throw new SyntaxException("unexpected name '" + word + "' at character " + start);
        }
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw error("unexpected " + describeHere() + ", expected '" + c + "'");
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t'
                || text.charAt(pos) == '\n' || text.charAt(pos) == '\r')) {
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describeHere() {
        if (pos >= text.length()) {
            return "end of text";
        }
        char c = text.charAt(pos);
        return c < 0x20 || c >= 0x7F ? String.format("character U+%04X", (int) c) : "'" + c + "'";
    }

    private SyntaxException error(String message) {
        return new SyntaxException(message + " at character " + pos);
    }
}
