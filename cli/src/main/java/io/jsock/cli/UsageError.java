package io.jsock.cli;

/** A bad command line: its message is the one line that names the argument; exit status 2. */
final class UsageError extends Exception {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
        super(message);
    }

    /** {@code bad WHAT 'value': why} */
    static UsageError bad(String what, String value, String why) {
        return new UsageError("bad " + what + " '" + value + "': " + why);
    }
}
