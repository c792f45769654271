package io.jsock;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A BSD socket: the object Python's {@code socket.socket(family, type, proto)} returns, with the
 * same verbs. Each method says which system call it corresponds to and the errno a caller sees.
 *
 * <h2>Modes</h2>
 * Like Python's sockets, each socket is in one of three modes, switched at any time:
 * <ul>
 *   <li><b>blocking</b> ({@code setTimeout(null)}, the default): calls wait as long as it takes;</li>
 *   <li><b>timeout</b> ({@code setTimeout(d)}, {@code d > 0}): a call that cannot complete within
 *       {@code d} throws {@link SocketTimeoutError}; {@code sendAll} gets {@code d} for the whole
 *       transfer, as in Python 3.5+;</li>
 *   <li><b>non-blocking</b> ({@code setTimeout(Duration.ZERO)}): a call that would have to wait
 *       throws {@link SocketError} with {@link Errno#EAGAIN}, Python's {@code BlockingIOError};
 *       {@code connect} throws {@link Errno#EINPROGRESS} and completes in the background.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * OS failures throw {@link SocketError} with the Linux {@link Errno}. A caller's mistake that is no
 * OS error (null, a negative size, an address of the wrong family) throws
 * {@link NullPointerException} or {@link IllegalArgumentException} naming the argument, before any
 * I/O. Every call on a closed socket throws {@link Errno#EBADF}, except {@link #close()},
 * {@link #isClosed()}, {@link #fileno()} (which returns -1) and the plain accessors.
 *
 * <h2>Threads, close and interrupts</h2>
 * A socket may be used by one reading and one writing thread at once. {@link #close()} from another
 * thread ends a call blocked in {@code accept}, {@code connect}, {@code recv*} or {@code send*}
 * promptly: that call throws {@link SocketError} with {@link Errno#EBADF}.
 * <p>A thread that is interrupted while it waits in a socket call (or calls one with its interrupt
 * status set, in a mode that may wait) <b>closes the socket</b>, as
 * {@link java.nio.channels.InterruptibleChannel} does: the call throws {@link SocketError} with
 * {@link Errno#EINTR}, the thread's interrupt status stays set, and every later call on the socket
 * throws {@link Errno#EBADF}. Data already sent stays sent; data the kernel had received but the
 * call had not returned is dropped with the socket. A non-blocking call never waits and so is not
 * affected by the interrupt status.
 */
public interface Socket extends Closeable {

    /** The address family given to {@code socket()}. */
    AddressFamily family();

    /** The socket type given to {@code socket()}. */
    SocketType type();

    /** The protocol number given to {@code socket()}, 0 for the family's default. */
    int proto();

    /**
     * Binds the socket to a local address; bind(2). Port 0 asks the kernel for a free port.
     * {@link Errno#EADDRINUSE} if the address is taken, {@link Errno#EADDRNOTAVAIL} if it is not
     * this host's, {@link Errno#EINVAL} if the socket is already bound.
     */
    void bind(SocketAddress address) throws SocketError;

    /**
     * Marks a stream socket as accepting connections; listen(2). An unbound socket is bound to a
     * free port first, as Linux does. {@link Errno#EOPNOTSUPP} for datagram sockets.
     *
     * @param backlog how many connections may wait for {@link #accept()}; negative counts as 0
     */
    void listen(int backlog) throws SocketError;

    /**
     * Takes the next connection from the queue; accept(2). The new socket is in blocking mode
     * whatever this one's mode is, like Python's {@code accept()} with no default timeout set.
     * {@link Errno#EINVAL} if the socket is not listening.
     */
    Accepted accept() throws SocketError;

    /**
     * Connects to a remote address; connect(2). {@link Errno#ECONNREFUSED} when nobody listens,
     * {@link Errno#EISCONN} if already connected. In non-blocking mode it throws
     * {@link Errno#EINPROGRESS} and the connection completes in the background; a later
     * {@code connect} or {@code connectEx} to the same address reports how it ended.
     */
    void connect(SocketAddress address) throws SocketError;

    /**
     * Like {@link #connect}, but returns the errno code instead of throwing an OS error: 0 on
     * success, for example 111 for {@code ECONNREFUSED}, 115 for {@code EINPROGRESS}; a timeout
     * returns 11 ({@code EAGAIN}), as CPython's {@code connect_ex} does. A caller's mistake (null,
     * wrong family) still throws.
     */
    int connectEx(SocketAddress address);

    /**
     * Receives up to {@code bufsize} bytes; recv(2). Returns the bytes received, an empty array at
     * the orderly end of a stream. On a datagram socket, one datagram, truncated to {@code bufsize}.
     * {@link Errno#ENOTCONN} on an unconnected stream socket, {@link Errno#ECONNRESET} when the peer
     * reset the connection.
     *
     * @throws IllegalArgumentException if {@code bufsize} is negative
     */
    byte[] recv(int bufsize) throws SocketError;

    /**
     * Receives into the remaining space of {@code dst}, advancing its position; recv(2) without a
     * copy for direct buffers. Returns the number of bytes read, 0 at the end of a stream (or when
     * {@code dst} has no room).
     */
    int recvInto(ByteBuffer dst) throws SocketError;

    /** Receives up to {@code bufsize} bytes and the sender's address; recvfrom(2). */
    Datagram recvFrom(int bufsize) throws SocketError;

    /** Receives into {@code dst} and returns the sender's address; recvfrom(2). */
    SocketAddress recvFromInto(ByteBuffer dst) throws SocketError;

    /**
     * Sends bytes; send(2). Returns how many were sent, which on a stream socket may be fewer than
     * given. {@link Errno#EPIPE} after the peer closed or after {@code shutdown(SHUT_WR)} (jsock never
     * raises SIGPIPE); on an unconnected socket what Linux answers: {@link Errno#EPIPE} for TCP,
     * {@link Errno#ENOTCONN} for AF_UNIX streams, {@link Errno#EDESTADDRREQ} for datagrams.
     */
    int send(byte[] data) throws SocketError;

    /** Sends the remaining bytes of {@code src}, advancing its position; send(2). */
    int send(ByteBuffer src) throws SocketError;

    /**
     * Sends every byte, calling send(2) until all are gone; returns only when they are. On an error
     * (a timeout included) some prefix of the data may have been sent; how much is not reported,
     * as in Python.
     */
    void sendAll(byte[] data) throws SocketError;

    /** Sends every remaining byte of {@code src}, advancing its position to its limit. */
    void sendAll(ByteBuffer src) throws SocketError;

    /** Sends a datagram to {@code address}; sendto(2). */
    int sendTo(byte[] data, SocketAddress address) throws SocketError;

    /** Sends the remaining bytes of {@code src} as one datagram to {@code address}; sendto(2). */
    int sendTo(ByteBuffer src, SocketAddress address) throws SocketError;

    /**
     * {@link #recv(int)} with recv(2)'s {@link MessageFlags}: {@code MSG_PEEK} leaves the data,
     * {@code MSG_WAITALL} waits (in blocking mode) for all {@code bufsize} bytes or the end of the
     * stream, and in timeout mode returns what arrived when the timeout passes; {@code MSG_DONTWAIT}
     * makes this call non-blocking and {@code MSG_OOB} never waits; with {@code MSG_TRUNC} at most
     * {@code bufsize} bytes still come back (a datagram's real length comes from
     * {@link #recvInto(ByteBuffer, int)}). A flag the socket type rejects gives the kernel's errno.
     */
    byte[] recv(int bufsize, int flags) throws SocketError;

    /**
     * {@link #recvInto(ByteBuffer)} with flags, as {@link #recv(int, int)}. With {@code MSG_TRUNC} on
     * a datagram socket it returns the datagram's real length, which may exceed what was stored
     * (the position advances by what was stored).
     */
    int recvInto(ByteBuffer dst, int flags) throws SocketError;

    /** {@link #recvFrom(int)} with flags, as {@link #recv(int, int)}. */
    Datagram recvFrom(int bufsize, int flags) throws SocketError;

    /** {@link #recvFromInto(ByteBuffer)} with flags, as {@link #recvInto(ByteBuffer, int)}. */
    SocketAddress recvFromInto(ByteBuffer dst, int flags) throws SocketError;

    /** {@link #send(byte[])} with send(2)'s {@link MessageFlags} ({@code MSG_NOSIGNAL} is always added). */
    int send(byte[] data, int flags) throws SocketError;

    /** {@link #send(ByteBuffer)} with flags. */
    int send(ByteBuffer src, int flags) throws SocketError;

    /** {@link #sendAll(byte[])} with flags, given to every send(2) it makes. */
    void sendAll(byte[] data, int flags) throws SocketError;

    /** {@link #sendAll(ByteBuffer)} with flags. */
    void sendAll(ByteBuffer src, int flags) throws SocketError;

    /** Python's {@code sendto(data, flags, address)}: {@link #sendTo(byte[], SocketAddress)} with flags. */
    int sendTo(byte[] data, int flags, SocketAddress address) throws SocketError;

    /** {@link #sendTo(ByteBuffer, SocketAddress)} with flags. */
    int sendTo(ByteBuffer src, int flags, SocketAddress address) throws SocketError;

    /**
     * Sends every remaining byte of every buffer, in order, gathered into few sendmsg(2) calls
     * (at most 1024 buffers, Linux's IOV_MAX, a call); a partial write is resumed where it stopped.
     * Each buffer's position advances by what of it was sent. In timeout mode the timeout is one
     * deadline for the whole call, as for {@link #sendAll(ByteBuffer)}; when it passes, the
     * positions say what went.
     */
    void sendAll(List<ByteBuffer> srcs) throws SocketError;

    /**
     * Python's {@code sendmsg(buffers, ancdata, flags, address)}: sendmsg(2) of the remaining bytes
     * of {@code buffers}, gathered, with the control messages {@code ancillary}, to {@code address}
     * ({@code null}: the connected peer). Returns how many bytes went; each buffer's position
     * advances by what of it was sent. A blocking stream socket returns once all of it is queued.
     * SCM_RIGHTS passes descriptors over AF_UNIX; a control message the kernel does not take is its
     * errno ({@link Errno#EINVAL}, {@link Errno#EBADF} for a descriptor that is not open).
     */
    int sendMsg(List<ByteBuffer> buffers, List<Ancillary> ancillary, int flags, SocketAddress address) throws SocketError;

    /**
     * Python's {@code recvmsg(bufsize, ancbufsize, flags)}: recvmsg(2) of at most {@code bufsize}
     * bytes and at most {@code ancBufsize} bytes of control messages (size it with
     * {@link Sockets#cmsgSpace}). The flags out say {@link MessageFlags#MSG_TRUNC} (the datagram was
     * longer), {@link MessageFlags#MSG_CTRUNC} (control messages were cut; descriptors that did not
     * fit were closed by the kernel) and {@link MessageFlags#MSG_EOR}. Received descriptors are
     * opened close-on-exec ({@code MSG_CMSG_CLOEXEC}) and are the caller's to close; they come as the
     * raw bytes of their SCM_RIGHTS message, as in Python. The address is {@code null} on a stream
     * or connected socket.
     */
    Message recvMsg(int bufsize, int ancBufsize, int flags) throws SocketError;

    /**
     * Python's {@code recvmsg_into(buffers, ancbufsize, flags)}: {@link #recvMsg}, scattered into the
     * remaining space of {@code buffers} in order; each buffer's position advances by what it got.
     */
    MessageInto recvMsgInto(List<ByteBuffer> buffers, int ancBufsize, int flags) throws SocketError;

    /** Shuts down one or both halves of a connection; shutdown(2). {@link Errno#ENOTCONN} if not connected. */
    void shutdown(Shutdown how) throws SocketError;

    /**
     * Sets the mode: {@code null} blocking, {@link Duration#ZERO} non-blocking, a positive duration
     * the timeout of each later call.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    void setTimeout(Duration timeout) throws SocketError;

    /** The timeout: {@code null} in blocking mode, {@link Duration#ZERO} in non-blocking mode. */
    Duration getTimeout();

    /** {@code true} is {@code setTimeout(null)}, {@code false} is {@code setTimeout(Duration.ZERO)}. */
    void setBlocking(boolean blocking) throws SocketError;

    /** False in non-blocking mode, true otherwise (blocking or timeout mode), as Python's {@code getblocking()}. */
    boolean getBlocking();

    /** The remote address; getpeername(2). {@link Errno#ENOTCONN} if not connected. */
    SocketAddress getPeerName() throws SocketError;

    /** The local address; getsockname(2). An unbound inet socket gives the wildcard address and port 0. */
    SocketAddress getSockName() throws SocketError;

    /**
     * The OS descriptor; -1 once closed. Where the provider cannot reach it, {@link SocketError}
     * with {@link Errno#EOPNOTSUPP} and a message naming what would make it reachable.
     */
    int fileno() throws SocketError;

    /**
     * Sets a socket option; setsockopt(2). {@link Errno#ENOPROTOOPT} for an option this socket does
     * not support (see {@link #supportedOptions()}).
     */
    <T> void setOption(SocketOption<T> option, T value) throws SocketError;

    /** Reads a socket option; getsockopt(2). {@link Errno#ENOPROTOOPT} for an unsupported option. */
    <T> T getOption(SocketOption<T> option) throws SocketError;

    /** The options this socket takes. */
    Set<SocketOption<?>> supportedOptions();

    /**
     * A stream reading this socket, Python's {@code makefile('rb')}: {@code read} returns -1 at the
     * end of the stream and obeys the socket's mode. Closing the stream does not close the socket.
     * As in CPython, once a read of the stream timed out, every later read of it fails at once with
     * an {@link java.io.IOException} saying so (the stream's position in the data is lost).
     */
    InputStream inputStream() throws SocketError;

    /**
     * A stream writing this socket with {@link #sendAll(byte[])}, Python's {@code makefile('wb')}.
     * Closing the stream does not close the socket.
     */
    OutputStream outputStream() throws SocketError;

    /**
     * Python's {@code setsockopt(level, optname, value)} with an int: setsockopt(2) with a C
     * {@code int}. The levels and names are in {@link Sockopt}. Errors are the kernel's
     * ({@link Errno#ENOPROTOOPT} for an option the socket does not have, {@link Errno#EINVAL} for a
     * bad value).
     */
    void setOption(int level, int optname, int value) throws SocketError;

    /** Python's {@code setsockopt(level, optname, bytes)}: setsockopt(2) with the bytes as the value. */
    void setOption(int level, int optname, byte[] value) throws SocketError;

    /** Python's {@code getsockopt(level, optname)}: getsockopt(2) of a C {@code int}. */
    int getOption(int level, int optname) throws SocketError;

    /**
     * Python's {@code getsockopt(level, optname, buflen)}: getsockopt(2) into {@code buflen} bytes
     * (1 to 1024, as CPython allows); the result has the length the kernel gave.
     */
    byte[] getOption(int level, int optname, int buflen) throws SocketError;

    /**
     * A second socket object on a new descriptor for the same socket; dup(2) (as
     * {@code fcntl(F_DUPFD_CLOEXEC)}: the copy is not inheritable). It has this socket's family,
     * type, protocol and mode. Closing one leaves the other working.
     */
    Socket dup() throws SocketError;

    /**
     * Python's {@code detach()}: this object is closed, the descriptor stays open and is returned,
     * now the caller's to close ({@link Sockets#closeFd}). The descriptor is left blocking unless
     * the socket was in timeout or non-blocking mode. {@link Errno#EBUSY} while another thread is
     * inside a call of this socket.
     */
    int detach() throws SocketError;

    /** Whether a child process made by exec inherits the descriptor: not {@code FD_CLOEXEC}; fcntl(2). New sockets: false. */
    boolean getInheritable() throws SocketError;

    /** Sets whether a child process inherits the descriptor: clears or sets {@code FD_CLOEXEC}; fcntl(2). */
    void setInheritable(boolean inheritable) throws SocketError;

    /** Whether the socket is closed: {@link #close()} was called and no stream of it is open. */
    boolean isClosed();

    /**
     * Closes the socket; close(2). Idempotent and never throws. A socket file an AF_UNIX socket was
     * bound to stays, as in BSD. As in CPython, while an {@link #inputStream()} or
     * {@link #outputStream()} of the socket is open, the close waits for them: the socket and its
     * streams keep working, and the descriptor is closed when the last stream is closed.
     */
    @Override
    void close();

    // files and batches: sendfile(2), sendmmsg(2), recvmmsg(2)

    /**
     * Python's {@code sendfile(file, offset, count)}: sends {@code count} bytes of the file from
     * {@code offset} on ({@code count} 0: to the end of the file) with sendfile(2), from a
     * descriptor opened here with {@code O_RDONLY | O_CLOEXEC} and closed before it returns, and
     * returns how many bytes went (fewer than asked only where the file ended first; 0 for an
     * empty file or an offset past its end). Blocking mode waits as long as it takes; in timeout
     * mode the timeout is one deadline for the whole call, as for {@link #sendAll(byte[])}, and a
     * timeout or an error after some bytes went throws (as CPython, the count is then lost). A file
     * sendfile(2) cannot read ({@link Errno#EINVAL}: no regular file) is read and sent instead,
     * as CPython falls back to {@code send}. A file that cannot be opened is a {@link SocketError}
     * with open(2)'s errno ({@link Errno#ENOENT}, {@link Errno#EACCES}, ...).
     *
     * @throws IllegalArgumentException on a negative {@code offset} or {@code count}, on a socket
     *         whose type is no stream (CPython's ValueError "only SOCK_STREAM type sockets are
     *         supported": SOCK_DGRAM), and on a socket in non-blocking mode (CPython's ValueError
     *         "non-blocking sockets are not supported")
     */
    long sendFile(Path file, long offset, long count) throws SocketError;

    /**
     * {@link #sendFile(Path, long, long)} from an open channel, which must be readable. The JDK
     * keeps a channel's descriptor private, so this reads the channel at {@code offset} on
     * (positional reads) and sends what it read: the same bytes, through a buffer. The channel's
     * position is left alone (Python's {@code sendfile} moves its file's; SPEC keeps it).
     *
     * @throws IllegalArgumentException as {@link #sendFile(Path, long, long)}, and for a closed channel
     */
    long sendFile(FileChannel file, long offset, long count) throws SocketError;

    /**
     * Sends the datagrams with one sendmmsg(2) call, each to its address ({@code null}: the connected
     * peer), in order, and returns how many went: all of them, or fewer when the socket's buffer
     * filled (the rest were not sent; send them again), or when more were given than one call
     * takes (1024, UIO_MAXIOV, or about 4 MiB of data). Blocking mode waits until at least one can go;
     * timeout mode waits as long as its timeout for that; non-blocking mode throws
     * {@link Errno#EAGAIN} when none can. An empty list sends nothing and returns 0. An error of the
     * first datagram is thrown (the kernel's errno, as {@code sendTo} gives it); an error of a later
     * one ends the batch early. On a stream socket each datagram's bytes join the stream in order
     * and the count is of whole ones: where the stream took the last one only in part, the rest of
     * it is sent too (as by {@link #sendAll(byte[])}, under the same deadline) before this returns.
     *
     * @throws NullPointerException for a null list or element
     */
    int sendMany(List<Datagram> datagrams) throws SocketError;

    /**
     * Receives up to {@code maxDatagrams} datagrams with one recvmmsg(2) call: it waits (by the
     * socket's mode, as {@link #recvFrom(int)}) for the first only, then takes what is queued, at
     * most {@code maxDatagrams} (and at most 1024, UIO_MAXIOV, or about 4 MiB of buffers: one datagram,
     * by recvfrom(2), when {@code bufsize} is larger). Each comes
     * with its sender and at most {@code bufsize} bytes: a longer datagram is truncated, as by
     * {@link #recvFrom(int)}. The list is never empty. On a stream socket each element is what one
     * recvmsg(2) of {@code bufsize} read, in order, with a {@code null} address; the end of the
     * stream is an element with no bytes, the last of the list (Linux would repeat it in every
     * entry left).
     *
     * @throws IllegalArgumentException if {@code maxDatagrams} is less than 1 or {@code bufsize} negative
     */
    List<Datagram> recvMany(int maxDatagrams, int bufsize) throws SocketError;
}
