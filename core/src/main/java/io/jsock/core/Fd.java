package io.jsock.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns one descriptor. It counts the calls inside a system call on it and close(2)s it only once
 * none is: a number closed under a running call could be reused by another open and that call
 * would then read someone else's file. A close while calls are inside wakes them with
 * shutdown(2) (Linux's close(2) does not end a recv(2) blocked in another thread) and wakes the
 * virtual threads parked on it in the {@link Poller}.
 */
final class Fd {
    private static final int CLOSING = 1;
    private static final int USER = 2;
    private static final int RELEASED = CLOSING | (1 << 30);

    private final int fd;
    /** Calls inside, times {@link #USER}, plus {@link #CLOSING} once closed. */
    private final AtomicInteger state = new AtomicInteger();

    Fd(int fd) {
        this.fd = fd;
    }

    int value() {
        return fd;
    }

    boolean isOpen() {
        return (state.get() & CLOSING) == 0;
    }

    /** Registers a call on the descriptor; false (and nothing to undo) once it is closing. */
    boolean enter() {
        if ((state.addAndGet(USER) & CLOSING) != 0) {
            leave();
            return false;
        }
        return true;
    }

    /** Ends a call registered by {@link #enter()}; the last one out after a close closes the descriptor. */
    void leave() {
        if (state.addAndGet(-USER) == CLOSING && state.compareAndSet(CLOSING, RELEASED)) {
            Sys.close(fd); // Linux frees the number even when close(2) reports an error: nothing to retry
        }
    }

    /** Closes once: at once if no call is inside, else when the last one leaves, after waking them. */
    void close() {
        int s;
        do {
            s = state.get();
            if ((s & CLOSING) != 0) {
                return;
            }
        } while (!state.compareAndSet(s, (s | CLOSING) + USER)); // held while waking, so the number stays ours
        if (s != 0) {
            Sys.shutdown(fd, Linux.SHUT_RDWR);
            Poller.wake(fd);
        }
        leave();
    }

    /**
     * Gives the descriptor up without closing it (detach); false if it is closing or in use.
     */
    boolean release() {
        return state.compareAndSet(0, RELEASED);
    }
}
