package io.jsock.cli;

/**
 * A bad command line: its message is the one line that names the argument; exit status 2. Every
 * argument in it is {@linkplain #quote quoted}, so a newline in one cannot split the line.
 */
final class UsageError extends Exception {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
        super(message);
    }

    /** {@code bad WHAT 'value': why} */
    static UsageError bad(String what, String value, String why) {
        return new UsageError("bad " + what + " " + quote(value) + ": " + why);
    }

    /** {@code MESSAGE; did you mean SUGGESTION?} */
    static UsageError hint(String message, String suggestion) {
        return new UsageError(message + "; did you mean " + suggestion + "?");
    }

    /**
     * An argument as Python's repr writes a string: in single quotes, a quote or backslash escaped,
     * and every control character as {@code \n}, {@code \t}, {@code \r}, {@code \0} or
     * {@code \xNN} ({@code \\uNNNN} beyond Latin-1), so the message stays one line whatever the
     * argument holds.
     */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                escape(c, sb);
            }
        }
        return sb.append('\'').toString();
    }

    /** A message made one line: each control character escaped as {@link #quote} does, the rest as it is. */
    static String oneLine(String message) {
        StringBuilder sb = new StringBuilder(message.length());
        for (int i = 0; i < message.length(); i++) {
            escape(message.charAt(i), sb);
        }
        return sb.toString();
    }

    private static void escape(char c, StringBuilder sb) {
        switch (c) {
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case '\0' -> sb.append("\\0");
            default -> {
                if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                    sb.append(c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
    }
}
