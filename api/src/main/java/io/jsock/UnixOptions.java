package io.jsock;

import java.net.SocketOption;

/** jsock's AF_UNIX socket options, for {@link Socket#getOption} and {@link Socket#setOption}. */
public final class UnixOptions {
    /** The peer's credentials (read-only), getsockopt(SOL_SOCKET, SO_PEERCRED). */
    public static final SocketOption<PeerCredentials> SO_PEERCRED = new Option<>("SO_PEERCRED", PeerCredentials.class);
    /** Whether credentials ride along with received messages, SO_PASSCRED. */
    public static final SocketOption<Boolean> SO_PASSCRED = new Option<>("SO_PASSCRED", Boolean.class);

    private UnixOptions() {
    }

    private record Option<T>(String name, Class<T> type) implements SocketOption<T> {
        @Override
        public String toString() {
            return name;
        }
    }
}
