package io.jsock.core;

import java.nio.ByteBuffer;

/**
 * How the system is called: one method per C function, addresses as {@code long}. Every method
 * returns the function's result when it succeeds and {@code -errno} when it fails, the errno read
 * straight after the call on the calling thread. Only {@link Sys} calls a backend, and it keeps
 * the memory behind every address reachable until the call has returned.
 */
interface Backend {
    /** "jffi" or "ffm": what {@code -Djsock.backend} names. */
    String name();

    /** The address of a direct buffer's first byte (not its position). */
    long address(ByteBuffer direct);

    int socket(int domain, int type, int protocol);

    int socketpair(int domain, int type, int protocol, long fds);

    int bind(int fd, long addr, int len);

    int connect(int fd, long addr, int len);

    int listen(int fd, int backlog);

    int accept4(int fd, long addr, long lenPtr, int flags);

    long recv(int fd, long buf, long len, int flags);

    long send(int fd, long buf, long len, int flags);

    long recvfrom(int fd, long buf, long len, int flags, long addr, long lenPtr);

    long sendto(int fd, long buf, long len, int flags, long addr, int addrLen);

    int shutdown(int fd, int how);

    int getsockopt(int fd, int level, int name, long value, long lenPtr);

    int setsockopt(int fd, int level, int name, long value, int len);

    int getsockname(int fd, long addr, long lenPtr);

    int getpeername(int fd, long addr, long lenPtr);

    int close(int fd);

    int fcntl(int fd, int cmd, int arg);

    int ioctl(int fd, long request, long arg);

    int poll(long fds, int nfds, int timeoutMillis);

    int epollCreate1(int flags);

    int epollCtl(int epfd, int op, int fd, long event);

    int epollWait(int epfd, long events, int maxEvents, int timeoutMillis);

    int eventfd(int initval, int flags);

    long read(int fd, long buf, long len);

    long write(int fd, long buf, long len);

    // files and batches: sendfile(2), sendmmsg(2), recvmmsg(2)

    /** open(2) of the NUL-terminated path at {@code path}; {@code mode} matters only with O_CREAT. */
    int open(long path, int flags, int mode);

    /** sendfile(2) from {@code inFd} at the {@code off_t} at {@code offset} (which the kernel advances) to {@code outFd}. */
    long sendfile(int outFd, int inFd, long offset, long count);

    /** sendmmsg(2) of {@code vlen} struct mmsghdr at {@code vec}; how many went, each one's length in its msg_len. */
    int sendmmsg(int fd, long vec, int vlen, int flags);

    /** recvmmsg(2) into {@code vlen} struct mmsghdr at {@code vec}, with no timeout (a null {@code struct timespec *}). */
    int recvmmsg(int fd, long vec, int vlen, int flags);

    // messages: sendmsg(2), recvmsg(2)

    long sendmsg(int fd, long msg, int flags);

    long recvmsg(int fd, long msg, int flags);
}
