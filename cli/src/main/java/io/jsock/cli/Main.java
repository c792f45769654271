package io.jsock.cli;

import io.jsock.SocketError;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * {@code java -jar jsock.jar}: {@code providers}, {@code tck}, {@code echo}, {@code cat} and {@code ping}.
 * Exit status 0 when all went well, 1 on an OS error or a TCK failure, 2 on a bad command line.
 */
public final class Main {
    static final String USAGE = String.join("\n",
            "usage: jsock providers [--jar FILE.jar]...",
            "       jsock tck [--provider NAME]... [--jar FILE.jar]... [--report FILE.json]",
            "       jsock echo [-v] FAMILY TYPE ADDRESS",
            "       jsock cat [-l] [-v] [-w SECONDS] [-s ADDRESS] [--no-shutdown] [--wait SECONDS] FAMILY TYPE ADDRESS",
            "       jsock ping [-c COUNT] [-i INTERVAL] [-W TIMEOUT] HOST",
            "       jsock --help",
            "       jsock --version",
            "",
            "  providers  each installed provider: name, priority, the triples it supports, and for each",
            "             triple the provider socket() uses (-Djsock.provider=NAME; else the highest",
            "             priority; on a tie a built-in provider, then the first name), then every tie",
            "  tck        runs the conformance kit (TCK) against every installed provider, or those named",
            "             by --provider, plus the providers in each --jar; prints the matrix provider x",
            "             family x type x contract group with passed/failed/skipped, then each failure",
            "             with its contract id, statement and exception. --report writes it as JSON.",
            "             Exit status 1 if any case failed.",
            "  echo       echo server bound to ADDRESS (port 0: any free port). Its first line on stdout",
            "             is \"listening on ADDRESS\" with the address it got. A connection (SOCK_STREAM,",
            "             SOCK_SEQPACKET) gets its bytes or messages back until it ends, several at once;",
            "             a datagram goes back to its sender, and a reply to a sender whose queue is full",
            "             is dropped (and counted), never waited for. A stale socket file (nobody listens)",
            "             is replaced; the socket file it made is removed when it stops, if still its own.",
            "             Runs until killed. -v, --verbose: one line on stderr per connection or datagram.",
            "  cat        netcat: stdin to the socket, the socket to stdout.",
            "             SOCK_STREAM: connects, sends stdin, shuts down its sending side (SHUT_WR) at the",
            "             end of stdin (not with --no-shutdown), and exits when the peer ends the stream.",
            "             SOCK_SEQPACKET: the same, each line of stdin (its newline included) one message.",
            "             SOCK_DGRAM: each line of stdin is one datagram; each datagram received is written",
            "             to stdout; exits once stdin has ended and no datagram came for --wait SECONDS",
            "             (default 1, fractions allowed; with --no-shutdown it does not exit at stdin's end).",
            "             An AF_UNIX datagram socket is given an autobound abstract name to be answered at.",
            "             A closed stdout (cat ... | head) ends it quietly, with exit status 0.",
            "    -l, --listen           listen on ADDRESS for one connection, or one datagram's sender,",
            "                           then as above",
            "    -v, --verbose          say on stderr what was connected, accepted or listened on",
            "    -w, --timeout SECONDS  connect timeout, and exit when nothing was sent or received for",
            "                           SECONDS",
            "    -s, --source ADDRESS   bind to this source address before connecting",
            "    --no-shutdown          keep the sending side open at stdin's end (netcat without -N)",
            "  ping       ICMP echo to HOST (a name, an IPv4 or an IPv6 address) over SOCK_RAW, as ping(8):",
            "             one line per reply (\"64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.045 ms\"),",
            "             then the statistics. Needs CAP_NET_RAW (root). Exit status 0 if any reply came,",
            "             1 if none did. Without -c it runs until interrupted.",
            "    -c, --count COUNT      stop after COUNT requests",
            "    -i, --interval SECONDS seconds between requests (default 1, fractions allowed)",
            "    -W, --timeout SECONDS  how long to wait for each reply (default 1)",
            "  --version  prints \"jsock VERSION\", the version of this jar.",
            "",
            "  FAMILY   AF_INET, AF_INET6 or AF_UNIX (any case, AF_ optional)",
            "  TYPE     SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, ... (any case, SOCK_ optional): any type",
            "           an installed provider offers",
            "  ADDRESS  host:port, [v6address]:port, [v6address%scope]:port, a socket file path, or @name",
            "           (Linux abstract name)",
            "",
            "exit status: 0 success, 1 an OS error or a TCK failure, 2 a bad command line",
            "");

    /** The line after a usage error's. */
    static final String SEE_HELP = "see 'jsock --help'";

    private Main() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        int status = run(args, System.in, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /**
     * Runs one command line against the given streams and returns its exit status; {@code echo}
     * returns only when it fails or the calling thread is interrupted.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        List<String> argv = Arrays.asList(args);
        if (argv.isEmpty() || argv.contains("--help") || argv.contains("-h") || argv.get(0).equals("help")) {
            out.print(USAGE);
            out.flush();
            return 0;
        }
        try {
            for (String a : argv) {
                if (a.indexOf('\0') >= 0) {
                    throw UsageError.bad("argument", a, "no argument can hold a NUL character (a path would stop at it)");
                }
            }
            if (argv.equals(List.of("--version"))) {
                out.println("jsock " + version());
                out.flush();
                return 0;
            }
            List<String> rest = argv.subList(1, argv.size());
            switch (argv.get(0)) {
                case "providers":
                    return ProvidersCommand.run(rest, out);
                case "tck":
                    return TckCommand.run(rest, out, err);
                case "echo":
                    return EchoCommand.run(rest, out, err);
                case "cat":
                    return CatCommand.run(rest, in, out, err);
                case "ping":
                    return PingCommand.run(rest, out);
                default:
                    throw UsageError.bad("COMMAND", argv.get(0), "expected providers, tck, echo, cat or ping");
            }
        } catch (UsageError e) {
            err.println("jsock: " + UsageError.oneLine(e.getMessage()));
            err.println(SEE_HELP);
            err.flush();
            return 2;
        } catch (SocketError e) {
            return fail(err, e.getMessage(), e);
        } catch (IOException e) {
            return fail(err, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } catch (UncheckedIOException e) {
            return fail(err, e.getCause().getMessage(), e);
        } catch (Exception e) {
            // a provider's bug or the like: still one line, the stack only with -Djsock.debug=true
            return fail(err, e.toString(), e);
        }
    }

    /** The version the build wrote into {@code version.properties}, which every copy of this class sits beside. */
    static String version() throws IOException {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IOException("version.properties is missing beside " + Main.class.getName());
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        }
    }

    /** One line, whatever the message holds: a path with a newline in it stays on it. */
    private static int fail(PrintStream err, String message, Throwable e) {
        err.println("jsock: " + UsageError.oneLine(String.valueOf(message)));
        if (Boolean.getBoolean("jsock.debug")) {
            e.printStackTrace(err);
        }
        err.flush();
        return 1;
    }
}
