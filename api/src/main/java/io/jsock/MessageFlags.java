package io.jsock;

/**
 * The {@code flags} of recv(2) and send(2) — Python's optional {@code flags} argument — with Linux's
 * numbers. Combine them with {@code |}; {@code 0} is the call without flags.
 *
 * <pre>{@code
 * byte[] head = sock.recv(4, MessageFlags.MSG_PEEK);      // look, leave it queued
 * byte[] all = sock.recv(1024, MessageFlags.MSG_WAITALL); // wait for all 1024 bytes (or the end)
 * }</pre>
 *
 * jsock always adds {@link #MSG_NOSIGNAL} to a send: a closed peer is {@link Errno#EPIPE}, never a
 * SIGPIPE.
 */
public final class MessageFlags {
    /** Out-of-band (urgent) data: sent as TCP urgent data, read apart from the stream; never waits. */
    public static final int MSG_OOB = 0x1;
    /** Return the data without taking it from the queue. */
    public static final int MSG_PEEK = 0x2;
    /** Send only to hosts on a directly connected network. */
    public static final int MSG_DONTROUTE = 0x4;
    /** Out: control data was cut to fit the ancillary buffer. */
    public static final int MSG_CTRUNC = 0x8;
    /** recv of a datagram: report its real length even when longer than the buffer (out: it was cut). */
    public static final int MSG_TRUNC = 0x20;
    /** This one call does not wait, whatever the socket's mode: {@link Errno#EAGAIN} instead. */
    public static final int MSG_DONTWAIT = 0x40;
    /** End of record (SOCK_SEQPACKET). */
    public static final int MSG_EOR = 0x80;
    /** A stream recv waits for all of its buffer (or the end of stream, or an error). */
    public static final int MSG_WAITALL = 0x100;
    /** Tell the link layer the peer was reachable (datagrams). */
    public static final int MSG_CONFIRM = 0x800;
    /** Receive from the socket's error queue. */
    public static final int MSG_ERRQUEUE = 0x2000;
    /** No SIGPIPE for a closed peer (jsock always sets it). */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** More data follows: the kernel may hold this piece back to join it with the next. */
    public static final int MSG_MORE = 0x8000;
    /** Received descriptors (SCM_RIGHTS) are opened close-on-exec. */
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;

    private MessageFlags() {
    }
}
