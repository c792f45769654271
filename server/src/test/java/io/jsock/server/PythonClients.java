package io.jsock.server;

import io.jsock.UnixAddress;
import io.jsock.spi.AbstractSocket;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** CPython clients of a server under test: {@code python3 -c SCRIPT KIND ADDRESS MODE N}. */
final class PythonClients {
    static final Duration LIMIT = Duration.ofSeconds(60);

    /**
     * Each client sends three lines (stream) or one datagram and checks that the reply is the upper
     * case of it; {@code concurrent} runs N clients at once (started together),
     * {@code sequential} one after another. Prints "ok N" when every reply was right.
     */
    private static final String SCRIPT = String.join("\n",
            "import socket, sys, threading, os, tempfile",
            "kind, text, mode, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])",
            "fam = {'tcp4': socket.AF_INET, 'tcp6': socket.AF_INET6, 'udp4': socket.AF_INET, 'udp6': socket.AF_INET6,",
            "       'unix': socket.AF_UNIX, 'unixdgram': socket.AF_UNIX}[kind]",
            "typ = socket.SOCK_DGRAM if kind in ('udp4', 'udp6', 'unixdgram') else socket.SOCK_STREAM",
            "if fam == socket.AF_UNIX:",
            "    addr = '\\0' + text[1:] if text.startswith('@') else text",
            "else:",
            "    host, port = text.rsplit(':', 1)",
            "    addr = (host.strip('[]'), int(port))",
            "tmp = tempfile.mkdtemp()",
            "errors = []",
            "barrier = threading.Barrier(n) if mode == 'concurrent' else None",
            "def one(i):",
            "    s = socket.socket(fam, typ)",
            "    s.settimeout(30)",
            "    try:",
            "        if barrier: barrier.wait(30)",
            "        if typ == socket.SOCK_STREAM:",
            "            s.settimeout(None)",  // a blocking connect waits for room in the backlog (a timed AF_UNIX one says EAGAIN)
            "            s.connect(addr)",
            "            s.settimeout(30)",
            "            f = s.makefile('rwb')",
            "            for k in range(3):",
            "                line = b'line %d-%d\\n' % (i, k)",
            "                f.write(line); f.flush()",
            "                got = f.readline()",
            "                if got != line.upper(): raise Exception('client %d got %r for %r' % (i, got, line))",
            "            f.close()",
            "        else:",
            "            if fam == socket.AF_UNIX: s.bind(os.path.join(tmp, 'c%d' % i))",
            "            msg = b'datagram %d' % i",
            "            s.settimeout(2)",
            "            for attempt in range(5):",  // UDP may lose a datagram: ask again
            "                s.sendto(msg, addr)",
            "                try:",
            "                    got, frm = s.recvfrom(1000)",
            "                    break",
            "                except socket.timeout:",
            "                    if attempt == 4: raise",
            "            if got != msg.upper(): raise Exception('client %d got %r' % (i, got))",
            "    except Exception as e:",
            "        errors.append('%d: %r' % (i, e))",
            "    finally:",
            "        s.close()",
            "        if fam == socket.AF_UNIX and typ == socket.SOCK_DGRAM:",
            "            try: os.unlink(os.path.join(tmp, 'c%d' % i))",
            "            except OSError: pass",
            "if mode == 'sequential':",
            "    for i in range(n): one(i)",
            "else:",
            "    ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]",
            "    for t in ts: t.start()",
            "    for t in ts: t.join(60)",
            "os.rmdir(tmp)",
            "if errors:",
            "    print('failed %d: %s' % (len(errors), errors[:5]))",
            "    sys.exit(1)",
            "print('ok %d' % n)");

    private PythonClients() {
    }

    static boolean installed() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import socket").redirectErrorStream(true).start();
            boolean ok = p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
            p.destroyForcibly();
            return ok;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs {@code n} CPython clients of {@code kind} against {@code server} and asserts every reply was right. */
    static void run(String kind, SocketAddress server, String mode, int n) throws IOException, InterruptedException {
        String address = server instanceof UnixAddress u ? u.toString() : AbstractSocket.describe(server);
        Process p = new ProcessBuilder(List.of("python3", "-c", SCRIPT, kind, address, mode, Integer.toString(n)))
                .redirectErrorStream(true).start();
        try {
            if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                fail(n + " " + mode + " CPython " + kind + " clients did not finish in " + LIMIT.toSeconds() + " s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, p.exitValue(), "the CPython clients: " + out);
            assertEquals("ok " + n, out, "the CPython clients' report");
        } finally {
            p.destroyForcibly();
        }
    }
}
