package io.jsock.server;

import io.jsock.Datagram;
import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.UnixAddress;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;

/** What the datagram servers share: a request is one datagram, answered on the server's socket. */
final class Datagrams {
    /** The largest datagram a UDP or AF_UNIX datagram server takes whole (Python's max_packet_size is 8192). */
    static final int MAX_PACKET_SIZE = 65_536;

    private Datagrams() {
    }

    static final class One implements Request {
        private final Socket socket;
        private final Datagram datagram;
        private final BaseServer server;
        private final ByteArrayOutputStream reply = new ByteArrayOutputStream();

        One(Socket socket, Datagram datagram, BaseServer server) {
            this.socket = socket;
            this.datagram = datagram;
            this.server = server;
        }

        @Override
        public Socket socket() {
            return socket;
        }

        @Override
        public SocketAddress clientAddress() {
            return datagram.address();
        }

        @Override
        public byte[] data() {
            return datagram.data().clone();
        }

        @Override
        public InputStream rfile() {
            return new ByteArrayInputStream(datagram.data());
        }

        @Override
        public OutputStream wfile() {
            return reply;
        }

        @Override
        public BaseServer server() {
            return server;
        }

        @Override
        public String toString() {
            return "<request of " + datagram.data().length + " bytes from " + BaseServer.describe(datagram.address()) + ">";
        }
    }

    /** recvfrom(2) on the non-blocking socket: null when nothing is queued after all. */
    static Request receive(Socket socket, BaseServer server) throws SocketError {
        try {
            return new One(socket, socket.recvFrom(MAX_PACKET_SIZE), server);
        } catch (SocketError e) {
            if (e.errno() == Errno.EAGAIN) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Sends back what the handler wrote, if anything, without waiting: a sender whose queue is full
     * (AF_UNIX datagrams are flow-controlled) gets EAGAIN reported, and the others are still served.
     */
    static void finish(Request request) throws SocketError {
        One one = (One) request;
        if (one.reply.size() > 0) {
            if (one.clientAddress() == null || (one.clientAddress() instanceof UnixAddress u && u.isUnnamed())) {
                throw new SocketError(Errno.EDESTADDRREQ, "reply: the datagram came from an unbound AF_UNIX socket, which cannot be"
                        + " answered");
            }
            one.socket.sendTo(one.reply.toByteArray(), one.clientAddress());
        }
    }
}
