package io.jsock.core;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;

import java.nio.ByteBuffer;

/** The libc calls through jffi: only primitives cross, so a call allocates nothing. */
final class JffiBackend implements Backend {
    private static final Invoker INVOKER = Invoker.getInstance();
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final LastError LAST_ERROR = LastError.getInstance();

    private final Function socket = function("socket", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32);
    private final Function socketpair = function("socketpair", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32, Type.POINTER);
    private final Function bind = function("bind", Type.SINT32, Type.SINT32, Type.POINTER, Type.UINT32);
    private final Function connect = function("connect", Type.SINT32, Type.SINT32, Type.POINTER, Type.UINT32);
    private final Function listen = function("listen", Type.SINT32, Type.SINT32, Type.SINT32);
    private final Function accept4 = function("accept4", Type.SINT32, Type.SINT32, Type.POINTER, Type.POINTER, Type.SINT32);
    private final Function recv = function("recv", Type.SINT64, Type.SINT32, Type.POINTER, Type.UINT64, Type.SINT32);
    private final Function send = function("send", Type.SINT64, Type.SINT32, Type.POINTER, Type.UINT64, Type.SINT32);
    private final Function recvfrom = function("recvfrom", Type.SINT64, Type.SINT32, Type.POINTER, Type.UINT64, Type.SINT32,
            Type.POINTER, Type.POINTER);
    private final Function sendto = function("sendto", Type.SINT64, Type.SINT32, Type.POINTER, Type.UINT64, Type.SINT32,
            Type.POINTER, Type.UINT32);
    private final Function shutdown = function("shutdown", Type.SINT32, Type.SINT32, Type.SINT32);
    private final Function getsockopt = function("getsockopt", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32, Type.POINTER,
            Type.POINTER);
    private final Function setsockopt = function("setsockopt", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32, Type.POINTER,
            Type.UINT32);
    private final Function getsockname = function("getsockname", Type.SINT32, Type.SINT32, Type.POINTER, Type.POINTER);
    private final Function getpeername = function("getpeername", Type.SINT32, Type.SINT32, Type.POINTER, Type.POINTER);
    private final Function close = function("close", Type.SINT32, Type.SINT32);
    private final Function fcntl = function("fcntl", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32);
    private final Function ioctl = function("ioctl", Type.SINT32, Type.SINT32, Type.UINT64, Type.POINTER);
    private final Function poll = function("poll", Type.SINT32, Type.POINTER, Type.UINT64, Type.SINT32);
    private final Function epollCreate1 = function("epoll_create1", Type.SINT32, Type.SINT32);
    private final Function epollCtl = function("epoll_ctl", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32, Type.POINTER);
    private final Function epollWait = function("epoll_wait", Type.SINT32, Type.SINT32, Type.POINTER, Type.SINT32, Type.SINT32);
    private final Function eventfd = function("eventfd", Type.SINT32, Type.UINT32, Type.SINT32);
    private final Function read = function("read", Type.SINT64, Type.SINT32, Type.POINTER, Type.UINT64);
    private final Function write = function("write", Type.SINT64, Type.SINT32, Type.POINTER, Type.UINT64);

    private record Function(CallContext context, long address) {
    }

    private static Function function(String name, Type result, Type... parameters) {
        long address = Library.getDefault().getSymbolAddress(name);
        if (address == 0) {
            throw new UnsatisfiedLinkError("libc has no " + name + ": " + Library.getLastError());
        }
        return new Function(CallContext.getCallContext(result, parameters, CallingConvention.DEFAULT, true), address);
    }

    private static int result(long r) {
        return r < 0 ? -LAST_ERROR.get() : (int) r;
    }

    private static long size(long r) {
        return r < 0 ? -LAST_ERROR.get() : r;
    }

    @Override
    public String name() {
        return "jffi";
    }

    @Override
    public long address(ByteBuffer direct) {
        return MEMORY.getDirectBufferAddress(direct);
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return result((int) INVOKER.invokeN3(socket.context, socket.address, domain, type, protocol));
    }

    @Override
    public int socketpair(int domain, int type, int protocol, long fds) {
        return result((int) INVOKER.invokeN4(socketpair.context, socketpair.address, domain, type, protocol, fds));
    }

    @Override
    public int bind(int fd, long addr, int len) {
        return result((int) INVOKER.invokeN3(bind.context, bind.address, fd, addr, len));
    }

    @Override
    public int connect(int fd, long addr, int len) {
        return result((int) INVOKER.invokeN3(connect.context, connect.address, fd, addr, len));
    }

    @Override
    public int listen(int fd, int backlog) {
        return result((int) INVOKER.invokeN2(listen.context, listen.address, fd, backlog));
    }

    @Override
    public int accept4(int fd, long addr, long lenPtr, int flags) {
        return result((int) INVOKER.invokeN4(accept4.context, accept4.address, fd, addr, lenPtr, flags));
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        return size(INVOKER.invokeN4(recv.context, recv.address, fd, buf, len, flags));
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        return size(INVOKER.invokeN4(send.context, send.address, fd, buf, len, flags));
    }

    @Override
    public long recvfrom(int fd, long buf, long len, int flags, long addr, long lenPtr) {
        return size(INVOKER.invokeN6(recvfrom.context, recvfrom.address, fd, buf, len, flags, addr, lenPtr));
    }

    @Override
    public long sendto(int fd, long buf, long len, int flags, long addr, int addrLen) {
        return size(INVOKER.invokeN6(sendto.context, sendto.address, fd, buf, len, flags, addr, addrLen));
    }

    @Override
    public int shutdown(int fd, int how) {
        return result((int) INVOKER.invokeN2(shutdown.context, shutdown.address, fd, how));
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long lenPtr) {
        return result((int) INVOKER.invokeN5(getsockopt.context, getsockopt.address, fd, level, name, value, lenPtr));
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int len) {
        return result((int) INVOKER.invokeN5(setsockopt.context, setsockopt.address, fd, level, name, value, len));
    }

    @Override
    public int getsockname(int fd, long addr, long lenPtr) {
        return result((int) INVOKER.invokeN3(getsockname.context, getsockname.address, fd, addr, lenPtr));
    }

    @Override
    public int getpeername(int fd, long addr, long lenPtr) {
        return result((int) INVOKER.invokeN3(getpeername.context, getpeername.address, fd, addr, lenPtr));
    }

    @Override
    public int close(int fd) {
        return result((int) INVOKER.invokeN1(close.context, close.address, fd));
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        return result((int) INVOKER.invokeN3(fcntl.context, fcntl.address, fd, cmd, arg));
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        return result((int) INVOKER.invokeN3(ioctl.context, ioctl.address, fd, request, arg));
    }

    @Override
    public int poll(long fds, int nfds, int timeoutMillis) {
        return result((int) INVOKER.invokeN3(poll.context, poll.address, fds, nfds, timeoutMillis));
    }

    @Override
    public int epollCreate1(int flags) {
        return result((int) INVOKER.invokeN1(epollCreate1.context, epollCreate1.address, flags));
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        return result((int) INVOKER.invokeN4(epollCtl.context, epollCtl.address, epfd, op, fd, event));
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        return result((int) INVOKER.invokeN4(epollWait.context, epollWait.address, epfd, events, maxEvents, timeoutMillis));
    }

    @Override
    public int eventfd(int initval, int flags) {
        return result((int) INVOKER.invokeN2(eventfd.context, eventfd.address, initval, flags));
    }

    @Override
    public long read(int fd, long buf, long len) {
        return size(INVOKER.invokeN3(read.context, read.address, fd, buf, len));
    }

    @Override
    public long write(int fd, long buf, long len) {
        return size(INVOKER.invokeN3(write.context, write.address, fd, buf, len));
    }

    // files and batches: sendfile(2), sendmmsg(2), recvmmsg(2)

    // variadic in C (int open(const char *, int, ...)): jsock passes no O_CREAT, so the mode is never read
    private final Function open = function("open", Type.SINT32, Type.POINTER, Type.SINT32, Type.UINT32);
    private final Function sendfile = function("sendfile", Type.SINT64, Type.SINT32, Type.SINT32, Type.POINTER, Type.UINT64);
    private final Function sendmmsg = function("sendmmsg", Type.SINT32, Type.SINT32, Type.POINTER, Type.UINT32, Type.SINT32);
    private final Function recvmmsg = function("recvmmsg", Type.SINT32, Type.SINT32, Type.POINTER, Type.UINT32, Type.SINT32,
            Type.POINTER);

    @Override
    public int open(long path, int flags, int mode) {
        return result((int) INVOKER.invokeN3(open.context, open.address, path, flags, mode));
    }

    @Override
    public long sendfile(int outFd, int inFd, long offset, long count) {
        return size(INVOKER.invokeN4(sendfile.context, sendfile.address, outFd, inFd, offset, count));
    }

    @Override
    public int sendmmsg(int fd, long vec, int vlen, int flags) {
        return result((int) INVOKER.invokeN4(sendmmsg.context, sendmmsg.address, fd, vec, vlen, flags));
    }

    @Override
    public int recvmmsg(int fd, long vec, int vlen, int flags) {
        return result((int) INVOKER.invokeN5(recvmmsg.context, recvmmsg.address, fd, vec, vlen, flags, 0L));
    }

    // messages: sendmsg(2), recvmsg(2)

    private final Function sendmsg = function("sendmsg", Type.SINT64, Type.SINT32, Type.POINTER, Type.SINT32);
    private final Function recvmsg = function("recvmsg", Type.SINT64, Type.SINT32, Type.POINTER, Type.SINT32);

    @Override
    public long sendmsg(int fd, long msg, int flags) {
        return size(INVOKER.invokeN3(sendmsg.context, sendmsg.address, fd, msg, flags));
    }

    @Override
    public long recvmsg(int fd, long msg, int flags) {
        return size(INVOKER.invokeN3(recvmsg.context, recvmsg.address, fd, msg, flags));
    }
}
