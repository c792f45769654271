package io.jsock.server;

import io.jsock.Accepted;
import io.jsock.Errno;
import io.jsock.Shutdown;
import io.jsock.Socket;
import io.jsock.SocketError;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;

/** What the stream servers share: a request is an accepted connection. */
final class Streams {
    /**
     * The listen(2) backlog, SOMAXCONN (Linux caps it at net.core.somaxconn). Python's
     * {@code request_queue_size} is 5, and with 128 a thousand clients connecting at once overflow
     * the queue: the handshakes Linux drops come back only as SYN-ACK retries seconds apart, while
     * each client believes it is connected.
     */
    static final int BACKLOG = 4096;

    private Streams() {
    }

    /** A connection and its streams, made when first asked for. */
    static final class Connection implements Request {
        private static final byte[] NONE = new byte[0];
        private final Socket socket;
        private final SocketAddress client;
        private final BaseServer server;
        private InputStream rfile;
        private OutputStream wfile;

        Connection(Socket socket, SocketAddress client, BaseServer server) {
            this.socket = socket;
            this.client = client;
            this.server = server;
        }

        @Override
        public Socket socket() {
            return socket;
        }

        @Override
        public SocketAddress clientAddress() {
            return client;
        }

        @Override
        public byte[] data() {
            return NONE;
        }

        @Override
        public synchronized InputStream rfile() {
            if (rfile == null) {
                rfile = new BufferedInputStream(stream(true));
            }
            return rfile;
        }

        @Override
        public synchronized OutputStream wfile() {
            if (wfile == null) {
                wfile = (OutputStream) stream(false);
            }
            return wfile;
        }

        private <T> T stream(boolean in) {
            try {
                @SuppressWarnings("unchecked")
                T s = (T) (in ? socket.inputStream() : socket.outputStream());
                return s;
            } catch (SocketError e) {
                throw new IllegalStateException("the connection from " + BaseServer.describe(client) + " has no stream: " + e.getMessage(), e);
            }
        }

        @Override
        public BaseServer server() {
            return server;
        }

        synchronized void flush() throws IOException {
            if (wfile != null) {
                wfile.flush();
            }
        }

        @Override
        public String toString() {
            return "<request from " + BaseServer.describe(client) + " on " + socket + ">";
        }
    }

    /** accept(2) on the non-blocking listener: null when nobody is there after all. */
    static Request accept(Socket listener, BaseServer server) throws SocketError {
        Accepted a;
        try {
            a = listener.accept();
        } catch (SocketError e) {
            if (e.errno() == Errno.EAGAIN) {
                return null;
            }
            throw e;
        }
        Socket s = a.socket();
        if (!s.getBlocking() || s.getTimeout() != null) {
            s.setTimeout(null); // Python's accepted sockets block, whatever the listener's mode
        }
        return new Connection(s, a.address(), server);
    }

    static void finish(Request request) throws IOException {
        ((Connection) request).flush();
    }

    /** Python's {@code shutdown_request}: SHUT_WR (its failure ignored, as Python's), then close. */
    static void end(Request request) {
        Socket s = request.socket();
        try {
            s.shutdown(Shutdown.SHUT_WR);
        } catch (SocketError gone) {
            // the peer has gone, or the handler closed it: nothing is left to tell it
        }
        s.close();
    }
}
