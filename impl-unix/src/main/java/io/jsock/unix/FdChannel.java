package io.jsock.unix;

import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns one socket descriptor: counts the threads inside a system call on it, so that close(2)
 * happens only once none is (a descriptor number closed under a running call could be reused by
 * another open and receive its data), and wakes those threads by shutdown(2), because Linux's
 * close(2) does not end a recv(2) blocked in another thread.
 *
 * <p>It is an {@link AbstractInterruptibleChannel} for {@code begin()}/{@code end()}: an interrupt
 * of a thread waiting in a call closes the descriptor, which is how {@link io.jsock.Socket}
 * defines interrupts.
 */
final class FdChannel extends AbstractInterruptibleChannel {
    private final int fd;
    private final AtomicInteger users = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean closing;

    FdChannel(int fd) {
        this.fd = fd;
    }

    int fd() {
        return fd;
    }

    /** Registers a call on the descriptor; false (and nothing to undo) once the channel is closing. */
    boolean enter() {
        users.incrementAndGet();
        if (closing) {
            leave();
            return false;
        }
        return true;
    }

    /** Ends a call registered by {@link #enter()}; the last one out after a close closes the descriptor. */
    void leave() {
        if (users.decrementAndGet() == 0 && closing && released.compareAndSet(false, true)) {
            // close(2) on Linux frees the descriptor even when it reports an error: nothing to retry
            Native.close(fd);
        }
    }

    /** Marks the start of a call that may wait: an interrupt from now on closes the channel. */
    void beginWait() {
        begin();
    }

    /**
     * Marks the end of a call that may wait.
     *
     * @throws java.nio.channels.ClosedByInterruptException if this thread's interrupt closed the channel
     * @throws AsynchronousCloseException if another thread closed it and the call did not complete
     */
    void endWait(boolean completed) throws AsynchronousCloseException {
        end(completed);
    }

    @Override
    protected void implCloseChannel() {
        users.incrementAndGet();
        closing = true;
        if (users.get() > 1) {
            // another thread is inside a call: SHUT_RDWR ends a blocked recv, send, accept or poll
            Native.shutdown(fd, Native.SHUT_RDWR);
        }
        leave();
    }
}
