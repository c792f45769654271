package io.jsock.spi;

/**
 * The socket calls that may have to wait, each with the direction it waits in and the name it
 * has in messages (Python's method name, which is the system call's where one exists). A provider
 * hands one to {@link AbstractSocket#perform} with a one-shot attempt of the call.
 */
public enum Call {
    ACCEPT(Direction.READ, "accept"),
    CONNECT(Direction.WRITE, "connect"),
    RECV(Direction.READ, "recv"),
    RECV_INTO(Direction.READ, "recv_into"),
    RECVFROM(Direction.READ, "recvfrom"),
    RECVFROM_INTO(Direction.READ, "recvfrom_into"),
    SEND(Direction.WRITE, "send"),
    SENDALL(Direction.WRITE, "sendall"),
    SENDTO(Direction.WRITE, "sendto"),
    // files and batches: sendfile(2), sendmmsg(2), recvmmsg(2)
    SENDFILE(Direction.WRITE, "sendfile"),
    SENDMMSG(Direction.WRITE, "sendmmsg"),
    RECVMMSG(Direction.READ, "recvmmsg"),
    // messages: sendmsg(2), recvmsg(2)
    SENDMSG(Direction.WRITE, "sendmsg"),
    RECVMSG(Direction.READ, "recvmsg"),
    RECVMSG_INTO(Direction.READ, "recvmsg_into");

    /** Which readiness a call waits for: POLLIN or POLLOUT. */
    public enum Direction { READ, WRITE }

    private final Direction direction;
    private final String label;

    Call(Direction direction, String label) {
        this.direction = direction;
        this.label = label;
    }

    /** The readiness this call waits for. */
    public Direction direction() {
        return direction;
    }

    /** The call's name in messages, for example {@code "recv_into"}. */
    public String label() {
        return label;
    }
}
