package io.tutti.tensor.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) parser and string quoter, small enough to read, for the headers of
 * tensor files. Values come back as {@link LinkedHashMap} (objects, keys in file order),
 * {@link List}, {@link String}, {@link Long} (integers that fit), {@link Double} (every other
 * number), {@link Boolean} and {@link #NULL}.
 *
 * <p>Because headers are untrusted, anything outside the grammar is an error with its character
 * position: comments, trailing commas, single quotes, leading zeros, {@code NaN}, unescaped
 * control characters, unpaired surrogates, duplicate keys, and nesting deeper than
 * {@value #MAX_DEPTH}.
 */
public final class Json {
    /** JSON {@code null} (a sentinel, so that maps never hold Java nulls). */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Deep enough for any tensor header; shallow enough that the recursion cannot overflow the stack. */
    public static final int MAX_DEPTH = 64;

    /** The text is not valid JSON; the message gives the character position and what was expected. */
    public static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    /** Parses one JSON value, optionally surrounded by whitespace. */
    public static Object parse(String text) throws SyntaxException {
        Json p = new Json(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected " + p.describeHere() + " after the end of the JSON value");
        }
        return value;
    }

    /** Appends {@code s} as a JSON string literal; unpaired surrogates (not encodable in UTF-8) are rejected. */
    public static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("json: string has an unpaired surrogate at index " + i + ": " + s);
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    private Object value(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels");
        }
        if (pos >= text.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{': return object(depth);
            case '[': return array(depth);
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", NULL);
            default:
                if (c == '-' || isDigit(c)) {
                    return number();
                }
                throw error("unexpected " + describeHere() + ", expected a value");
        }
    }

    private Map<String, Object> object(int depth) throws SyntaxException {
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("unexpected " + describeHere() + ", expected a string key");
            }
            int keyPos = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth + 1);
            if (map.putIfAbsent(key, v) != null) {
                throw new SyntaxException("duplicate key \"" + key + "\" at character " + keyPos);
            }
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                pos--;
                throw error("unexpected " + describeHere() + ", expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws SyntaxException {
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw error("unexpected " + describeHere() + ", expected ',' or ']'");
            }
        }
    }

    private String string() throws SyntaxException {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new SyntaxException("unterminated string starting at character " + start);
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (Character.isSurrogate(c)) {
                // Java strings decoded from UTF-8 only hold surrogates in valid pairs; check anyway.
                if (Character.isHighSurrogate(c) && pos < text.length() && Character.isLowSurrogate(text.charAt(pos))) {
                    sb.append(c).append(text.charAt(pos++));
                    continue;
                }
                pos--;
                throw error("unpaired surrogate in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            escape(sb);
        }
    }

    private void escape(StringBuilder sb) throws SyntaxException {
        if (pos >= text.length()) {
            throw error("unexpected end of text in an escape");
        }
        char e = text.charAt(pos++);
        switch (e) {
            case '"': sb.append('"'); break;
            case '\\': sb.append('\\'); break;
            case '/': sb.append('/'); break;
            case 'b': sb.append('\b'); break;
            case 'f': sb.append('\f'); break;
            case 'n': sb.append('\n'); break;
            case 'r': sb.append('\r'); break;
            case 't': sb.append('\t'); break;
            case 'u': {
                char u = hex4();
                if (Character.isHighSurrogate(u)) {
                    if (text.startsWith("\\u", pos)) {
                        pos += 2;
                        char low = hex4();
                        if (Character.isLowSurrogate(low)) {
                            sb.append(u).append(low);
                            break;
                        }
                    }
                    throw error("unpaired surrogate \\u" + String.format("%04x", (int) u) + " in a string");
                }
                if (Character.isLowSurrogate(u)) {
                    throw error("unpaired surrogate \\u" + String.format("%04x", (int) u) + " in a string");
                }
                sb.append(u);
                break;
            }
            default:
                pos--;
                throw error("invalid escape '\\" + e + "'");
        }
    }

    private char hex4() throws SyntaxException {
        if (pos + 4 > text.length()) {
            throw error("unexpected end of text in a \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = hexValue(text.charAt(pos));
            if (d < 0) {
                throw error("invalid hex digit " + describeHere() + " in a \\u escape");
            }
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    private Object number() throws SyntaxException {
        int start = pos;
        boolean integer = true;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("leading zero in a number");
            }
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("unexpected " + describeHere() + ", expected a digit");
        }
        if (peek() == '.') {
            integer = false;
            pos++;
            if (!isDigit(peek())) {
                throw error("unexpected " + describeHere() + ", expected a digit after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integer = false;
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("unexpected " + describeHere() + ", expected a digit in the exponent");
            }
            digits();
        }
        String literal = text.substring(start, pos);
        if (integer) {
            try {
                return Long.parseLong(literal);
            } catch (NumberFormatException tooLarge) {
                // Out of long range: callers that need an integer reject the Double below.
            }
        }
        return Double.parseDouble(literal);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private Object literal(String word, Object value) throws SyntaxException {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected " + describeHere() + ", expected a value");
        }
        pos += word.length();
        return value;
    }

    private void expect(char c) throws SyntaxException {
        if (peek() != c) {
            throw error("unexpected " + describeHere() + ", expected '" + c + "'");
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The current character, or NUL at the end (NUL never appears unescaped in valid JSON). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describeHere() {
        if (pos >= text.length()) {
            return "end of text";
        }
        char c = text.charAt(pos);
        return c < 0x20 || c == 0x7F ? String.format("character U+%04X", (int) c) : "'" + c + "'";
    }

    private SyntaxException error(String message) {
        return new SyntaxException(message + " at character " + pos);
    }
}
