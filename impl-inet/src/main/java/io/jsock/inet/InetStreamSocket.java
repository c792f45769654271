package io.jsock.inet;

import io.jsock.Accepted;
import io.jsock.AddressFamily;
import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.spi.AbstractSocket;

import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;

/** A TCP socket on JDK NIO (skeleton: being written). */
final class InetStreamSocket extends AbstractSocket {

    InetStreamSocket(AddressFamily family, int proto) {
        super(family, SocketType.SOCK_STREAM, proto);
    }

    private static SocketError todo(String op) {
        return SocketError.of(Errno.EOPNOTSUPP, op);
    }

    @Override protected void implBind(SocketAddress address) throws SocketError { throw todo("bind"); }
    @Override protected void implListen(int backlog) throws SocketError { throw todo("listen"); }
    @Override protected Accepted implAccept() throws SocketError { throw todo("accept"); }
    @Override protected void implConnect(SocketAddress address) throws SocketError { throw todo("connect"); }
    @Override protected byte[] implRecv(int bufsize) throws SocketError { throw todo("recv"); }
    @Override protected int implRecvInto(ByteBuffer dst) throws SocketError { throw todo("recv_into"); }
    @Override protected Datagram implRecvFrom(int bufsize) throws SocketError { throw todo("recvfrom"); }
    @Override protected SocketAddress implRecvFromInto(ByteBuffer dst) throws SocketError { throw todo("recvfrom_into"); }
    @Override protected int implSend(ByteBuffer src) throws SocketError { throw todo("send"); }
    @Override protected void implSendAll(ByteBuffer src) throws SocketError { throw todo("sendall"); }
    @Override protected int implSendTo(ByteBuffer src, SocketAddress address) throws SocketError { throw todo("sendto"); }
    @Override protected void implShutdown(Shutdown how) throws SocketError { throw todo("shutdown"); }
    @Override protected void implSetTimeout(Duration timeout) throws SocketError { }
    @Override protected SocketAddress implGetPeerName() throws SocketError { throw todo("getpeername"); }
    @Override protected SocketAddress implGetSockName() throws SocketError { throw todo("getsockname"); }
    @Override protected int implFileno() throws SocketError { throw todo("fileno"); }
    @Override protected <T> void implSetOption(SocketOption<T> option, T value) throws SocketError { throw todo("setsockopt"); }
    @Override protected <T> T implGetOption(SocketOption<T> option) throws SocketError { throw todo("getsockopt"); }
    @Override protected void implClose() { }
    @Override public Set<SocketOption<?>> supportedOptions() { return Set.of(); }
}
