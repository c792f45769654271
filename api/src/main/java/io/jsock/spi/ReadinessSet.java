package io.jsock.spi;

import io.jsock.Socket;
import io.jsock.SocketError;

/**
 * One set of watched descriptors, level-triggered, as epoll(7) without {@code EPOLLET}. Each
 * registration carries a token the caller chose and never reuses, and readiness is reported by
 * token, so a descriptor number closed and reused by another socket is never reported for the old
 * registration. {@link #add}, {@link #modify}, {@link #remove} and {@link #wakeup} may be called
 * from any thread while another waits in {@link #await}.
 */
public interface ReadinessSet {
    /** Readable: data, an end of stream, a pending connection (EPOLLIN). */
    int READ = 1;
    /** Writable: room in the send buffer, a completed connect (EPOLLOUT). */
    int WRITE = 2;
    /** Urgent data (EPOLLPRI): what select(2) calls exceptional. */
    int PRIORITY = 4;
    /** Reported only: the peer hung up (EPOLLHUP). */
    int HANGUP = 8;
    /** Reported only: an error is pending on the socket (EPOLLERR). */
    int ERROR = 16;

    /** Where {@link #await} reports each ready registration. */
    @FunctionalInterface
    interface Sink {
        void ready(long token, int events);
    }

    /**
     * Watches {@code socket}, whose descriptor is {@code fd}, for {@code events} (READ, WRITE,
     * PRIORITY). A socket closed meanwhile: {@code EBADF}.
     */
    void add(Socket socket, int fd, int events, long token) throws SocketError;

    /** Changes what an added socket is watched for. */
    void modify(Socket socket, int fd, int events, long token) throws SocketError;

    /** Stops watching {@code socket}; nothing to do (and nothing touched) once it is closed. Never throws. */
    void remove(Socket socket, int fd);

    /**
     * Waits until a registration is ready, {@link #wakeup} is called, the thread is interrupted, or
     * {@code nanos} pass ({@code 0}: never waits; negative: no limit), and reports at most
     * {@code maxEvents} ready registrations to {@code sink}, each once. Returns how many it reported.
     */
    int await(int maxEvents, long nanos, Sink sink) throws SocketError;

    /** Ends an {@link #await} in another thread at once, or makes the next one return at once. */
    void wakeup();

    /** Releases the set; idempotent, never throws. */
    void close();
}
