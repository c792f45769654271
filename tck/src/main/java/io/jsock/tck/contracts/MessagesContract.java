package io.jsock.tck.contracts;

import io.jsock.AddressFamily;
import io.jsock.Ancillary;
import io.jsock.FdMessage;
import io.jsock.Message;
import io.jsock.MessageFlags;
import io.jsock.MessageInto;
import io.jsock.Socket;
import io.jsock.Sockets;
import io.jsock.Sockopt;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.jsock.tck.contracts.DatagramSupport.random;
import static io.jsock.tck.contracts.DatagramSupport.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sendmsg(2) and recvmsg(2): gathering, scattering, flags out and control messages (Python's sendmsg, recvmsg, send_fds, recv_fds). */
@ContractGroup(name = "messages", appliesTo = {Semantics.STREAM, Semantics.DATAGRAM})
public final class MessagesContract {
    private static final Duration LIMIT = Duration.ofSeconds(10);
    /** Linux's IP_PKTINFO (Python 3.11's socket module lacks the name). */
    private static final int IP_PKTINFO = 8;

    private static TckTarget.Connection connected(TckTarget t) throws Exception {
        TckTarget.Connection c = t.connection();
        c.client().setTimeout(LIMIT);
        c.server().setTimeout(LIMIT);
        return c;
    }

    private static ByteBuffer direct(byte[] b) {
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    /** Reads exactly {@code n} bytes of a stream (recv until they are there). */
    private static byte[] readExactly(Socket s, int n) throws Exception {
        byte[] out = new byte[n];
        int have = 0;
        while (have < n) {
            byte[] piece = s.recv(n - have);
            if (piece.length == 0) {
                throw new AssertionError("the stream ended after " + have + " of " + n + " bytes");
            }
            System.arraycopy(piece, 0, out, have, piece.length);
            have += piece.length;
        }
        return out;
    }

    @Contract(id = "stream.messages.sendmsg-gathers-and-recvmsg-into-scatters",
            semantics = Semantics.STREAM,
            statement = "sendmsg gathers heap and direct buffers into one byte stream in order and advances each buffer; "
                    + "recvmsg_into scatters it over heap and direct buffers in order; a stream message has no address.")
    void streamGatherAndScatter(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        ByteBuffer a = ByteBuffer.wrap(text("alpha-"));
        ByteBuffer b = direct(text("beta-"));
        ByteBuffer empty = ByteBuffer.allocate(0);
        ByteBuffer g = ByteBuffer.wrap(text("gamma"));
        int sent = t.optional("sendmsg", () -> c.client().sendMsg(List.of(a, b, empty, g), List.of(), 0, null));
        assertEquals(16, sent, "sendmsg's count of three buffers of 6, 5 and 5 bytes");
        assertEquals(0, a.remaining() + b.remaining() + g.remaining(), "bytes left in the buffers after sendmsg");
        ByteBuffer x = ByteBuffer.allocate(4);
        ByteBuffer y = ByteBuffer.allocateDirect(7);
        ByteBuffer z = ByteBuffer.allocate(5);
        int got = 0;
        List<ByteBuffer> into = List.of(x, y, z);
        while (got < 16) {
            MessageInto m = c.server().recvMsgInto(into, 0, 0);
            assertTrue(m.bytes() > 0, "recvmsg_into returned " + m.bytes() + " bytes before all 16 came");
            assertNull(m.address(), "the address of a message on a stream socket");
            got += m.bytes();
        }
        assertEquals(4, x.position(), "bytes recvmsg_into stored in the first (heap) buffer of 4");
        assertEquals(7, y.position(), "bytes recvmsg_into stored in the second (direct) buffer of 7");
        assertEquals(5, z.position(), "bytes recvmsg_into stored in the third (heap) buffer of 5");
        byte[] all = new byte[16];
        x.flip().get(all, 0, 4);
        y.flip().get(all, 4, 7);
        z.flip().get(all, 11, 5);
        assertArrayEquals(text("alpha-beta-gamma"), all, "the bytes scattered over buffers of 4, 7 and 5");
    }

    @Contract(id = "stream.messages.sendall-list-sends-every-byte-in-order",
            semantics = Semantics.STREAM,
            statement = "sendAll(List) sends every byte of more buffers than IOV_MAX and more heap bytes than one call "
                    + "copies, in order, and leaves every buffer with nothing remaining.")
    void sendAllListSendsEveryByte(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        List<ByteBuffer> pieces = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < 1500; i++) {
            byte[] b = random(i % 7 == 0 ? 0 : 1 + (i * 37) % 200, i);
            pieces.add(i % 2 == 0 ? ByteBuffer.wrap(b) : direct(b));
            total += b.length;
        }
        byte[] big = random(200_000, 99); // more than one call copies, and direct buffers after it: its rest goes first
        pieces.add(700, ByteBuffer.wrap(big));
        total += big.length;
        byte[] expected = new byte[total];
        int at = 0;
        for (ByteBuffer p : pieces) {
            p.duplicate().get(expected, at, p.remaining());
            at += p.remaining();
        }
        int size = total;
        TckTarget.Background<byte[]> reader = t.background("reader", () -> readExactly(c.server(), size));
        c.client().sendAll(pieces);
        assertArrayEquals(expected, reader.get(LIMIT), "the " + total + " bytes of 1501 buffers sendAll(List) sent");
        for (int i = 0; i < pieces.size(); i++) {
            assertEquals(0, pieces.get(i).remaining(), "bytes remaining in buffer " + i + " after sendAll(List)");
        }
    }

    @Contract(id = "datagram.messages.one-datagram-of-many-buffers",
            semantics = Semantics.DATAGRAM,
            statement = "sendmsg of several buffers to an address is one datagram; recvmsg on an unconnected socket "
                    + "returns it whole with its sender's address and no flags.")
    void datagramOfManyBuffers(TckTarget t) throws Exception {
        Socket[] pair = DatagramSupport.boundPair(t);
        int sent = t.optional("sendmsg", () -> pair[0].sendMsg(List.of(ByteBuffer.wrap(text("one ")), direct(text("two ")),
                ByteBuffer.wrap(text("three"))), List.of(), 0, pair[1].getSockName()));
        assertEquals(13, sent, "sendmsg's count");
        Message m = pair[1].recvMsg(100, 0, 0);
        assertArrayEquals(text("one two three"), m.data(), "the datagram of three buffers");
        assertEquals(pair[0].getSockName(), m.address(), "the sender's address recvmsg returned");
        assertEquals(0, m.flags(), "recvmsg's flags out for a datagram that fit");
        assertEquals(List.of(), m.ancillary(), "control messages when none were asked for");
    }

    @Contract(id = "datagram.messages.truncation-sets-msg-trunc",
            semantics = Semantics.DATAGRAM,
            statement = "recvmsg with a buffer shorter than the datagram returns what fit and sets MSG_TRUNC in the flags "
                    + "out; recvmsg_into does the same; on a connected socket the address is null.")
    void truncationSetsMsgTrunc(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        byte[] hundred = random(100, 1);
        t.optional("sendmsg", () -> c.client().sendMsg(List.of(ByteBuffer.wrap(hundred)), List.of(), 0, null));
        c.client().send(hundred);
        Message m = c.server().recvMsg(10, 0, 0);
        assertArrayEquals(Arrays.copyOf(hundred, 10), m.data(), "the first 10 bytes of a 100-byte datagram");
        assertEquals(MessageFlags.MSG_TRUNC, m.flags() & MessageFlags.MSG_TRUNC, "MSG_TRUNC in recvmsg's flags out, got 0x"
                + Integer.toHexString(m.flags()));
        assertNull(m.address(), "the address of a message on a connected socket");
        ByteBuffer small = ByteBuffer.allocateDirect(20);
        MessageInto into = c.server().recvMsgInto(List.of(small), 0, 0);
        assertEquals(20, into.bytes(), "recvmsg_into's count into a 20-byte buffer");
        assertEquals(MessageFlags.MSG_TRUNC, into.flags() & MessageFlags.MSG_TRUNC, "MSG_TRUNC in recvmsg_into's flags out");
        byte[] stored = new byte[20];
        small.flip().get(stored);
        assertArrayEquals(Arrays.copyOf(hundred, 20), stored, "what recvmsg_into stored");
    }

    @Contract(id = "socket.messages.bad-arguments-fail-before-any-call",
            statement = "recvmsg with a negative bufsize or ancbufsize, recvmsg_into into a read-only buffer, and sendmsg "
                    + "or sendAll(List) with a null list or element raise IllegalArgumentException or NullPointerException "
                    + "before any system call, even on a closed socket.")
    void badArgumentsFailBeforeAnyCall(TckTarget t) throws Exception {
        Socket s = t.open();
        s.close();
        IllegalArgumentException negative = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.recvMsg(-1, 0, 0), "recvmsg(-1) on a closed socket");
        assertTrue(negative.getMessage().startsWith("negative buffer size in recvmsg()"), "the message, as CPython's: "
                + negative.getMessage());
        IllegalArgumentException anc = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.recvMsg(1, -1, 0), "recvmsg(1, -1)");
        assertTrue(anc.getMessage().startsWith("invalid ancillary data buffer length"), "the message, as CPython's: "
                + anc.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> s.recvMsgInto(List.of(ByteBuffer.allocate(4).asReadOnlyBuffer()), 0, 0), "recvmsg_into a read-only buffer");
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> s.sendMsg(null, List.of(), 0, null),
                "sendmsg(null buffers)");
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> s.sendMsg(Arrays.asList(ByteBuffer.allocate(1), null), List.of(), 0, null), "sendmsg with a null buffer");
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> s.sendMsg(List.of(), Arrays.asList((Ancillary) null), 0, null), "sendmsg with a null control message");
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> s.sendAll((List<ByteBuffer>) null),
                "sendAll(null list)");
        io.jsock.SocketError closed = org.junit.jupiter.api.Assertions.assertThrows(io.jsock.SocketError.class,
                () -> s.recvMsg(1, 0, 0), "recvmsg with good arguments on a closed socket");
        assertEquals(io.jsock.Errno.EBADF, closed.errno(), "recvmsg on a closed socket, once its arguments are good");
    }

    // ---- descriptors over AF_UNIX: SCM_RIGHTS --------------------------------------------------

    /** What each descriptor /proc/self/fd lists is open onto. */
    private static Map<Integer, String> openFds(TckTarget t) throws IOException {
        t.openDescriptors(); // skips where there is no /proc/self/fd
        Map<Integer, String> fds = new HashMap<>();
        try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
            list.forEach(p -> {
                try {
                    fds.put(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by now
                }
            });
        }
        return fds;
    }

    private static String target(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }

    /**
     * The descriptors open onto something that no descriptor was open onto before (a number may be
     * reused: the listing's own descriptor is closed again), whose target starts with {@code prefix}.
     */
    private static List<Integer> opened(Map<Integer, String> before, Map<Integer, String> after, String prefix) {
        List<Integer> found = new ArrayList<>();
        after.forEach((fd, target) -> {
            if (!before.containsValue(target) && target.startsWith(prefix)) {
                found.add(fd);
            }
        });
        if (found.isEmpty()) {
            throw new AssertionError("no new descriptor onto " + prefix + " in /proc/self/fd: " + after);
        }
        return found;
    }

    /** Passes {@code fd} from the client to the server side and returns the descriptor received. */
    private static int pass(TckTarget t, TckTarget.Connection c, int fd) throws Exception {
        int sent = t.optional("send_fds", () -> Sockets.sendFds(c.client(), List.of(ByteBuffer.wrap(text("fd"))), new int[] {fd}, 0,
                null));
        assertEquals(2, sent, "send_fds's count");
        FdMessage m = Sockets.recvFds(c.server(), 16, 4, 0);
        assertArrayEquals(text("fd"), m.data(), "the bytes that came with the descriptor");
        assertEquals(1, m.fds().length, "descriptors received: " + Arrays.toString(m.fds()));
        assertEquals(0, m.flags() & MessageFlags.MSG_CTRUNC, "MSG_CTRUNC when the descriptor fit");
        int got = m.fds()[0];
        assertNotEquals(fd, got, "the received descriptor is a new one");
        assertEquals(target(fd), target(got), "what the received descriptor is open onto (/proc/self/fd), against the one sent");
        assertTrue((fdinfoFlags(got) & Descriptors.O_CLOEXEC) != 0, "a received descriptor is close-on-exec (MSG_CMSG_CLOEXEC)");
        return got;
    }

    private static int fdinfoFlags(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring("flags:".length()).strip(), 8);
            }
        }
        throw new AssertionError("/proc/self/fdinfo/" + fd + " has no flags: line");
    }

    @Contract(id = "unix.messages.scm-rights-passes-a-file",
            families = AddressFamily.AF_UNIX,
            statement = "send_fds passes the descriptor of an open file over AF_UNIX; recv_fds gets a new close-on-exec "
                    + "descriptor onto the same file, from which the file's bytes read.")
    void scmRightsPassesAFile(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        Path file = t.tempDir().resolve("passed.txt");
        Files.write(file, text("file contents"));
        Map<Integer, String> before = openFds(t);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int fd = opened(before, openFds(t), file.toRealPath().toString()).get(0);
            int got = pass(t, c, fd);
            try {
                assertEquals(file.toRealPath().toString(), target(got), "the received descriptor's file");
                byte[] read = Files.readAllBytes(Path.of("/proc/self/fd/" + got));
                assertArrayEquals(text("file contents"), read, "the file read through the received descriptor");
            } finally {
                Sockets.closeFd(got);
            }
        }
    }

    @Contract(id = "unix.messages.scm-rights-passes-a-pipe",
            families = AddressFamily.AF_UNIX,
            statement = "send_fds passes the write end of a pipe over AF_UNIX; what is written to the received descriptor "
                    + "comes out of the pipe's read end.")
    void scmRightsPassesAPipe(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        Map<Integer, String> before = openFds(t);
        Pipe pipe = Pipe.open();
        try {
            List<Integer> ends = opened(before, openFds(t), "pipe:");
            int sink = -1;
            for (int fd : ends) { // the write end: /proc/self/fdinfo says O_WRONLY (01)
                if ((fdinfoFlags(fd) & 3) == 1) {
                    sink = fd;
                }
            }
            assertTrue(sink >= 0, "the write end of a new pipe among its descriptors " + ends);
            int got = pass(t, c, sink);
            try {
                Files.write(Path.of("/proc/self/fd/" + got), text("through the pipe"), StandardOpenOption.WRITE);
                ByteBuffer in = ByteBuffer.allocate(64);
                pipe.source().read(in);
                assertArrayEquals(text("through the pipe"), Arrays.copyOf(in.array(), in.position()),
                        "what the pipe's read end gave after a write to the received descriptor");
            } finally {
                Sockets.closeFd(got);
            }
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Contract(id = "unix.messages.scm-rights-passes-a-socket",
            families = AddressFamily.AF_UNIX,
            statement = "send_fds passes a connected socket over AF_UNIX; Sockets.fromFd wraps the received descriptor "
                    + "into a socket that talks to the passed socket's peer.")
    void scmRightsPassesASocket(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        TckTarget.Connection other = connected(t);
        int got = pass(t, c, other.client().fileno());
        Socket wrapped = t.track(Sockets.fromFd(got, t.family(), t.type(), 0));
        Sockets.closeFd(got);
        wrapped.sendAll(text("via the passed socket"));
        other.server().setTimeout(LIMIT);
        assertArrayEquals(text("via the passed socket"), other.server().recv(64), "what the passed socket's peer received");
    }

    @Contract(id = "unix.messages.ctrunc-closes-what-did-not-fit",
            families = AddressFamily.AF_UNIX,
            statement = "Descriptors that do not fit the ancillary buffer are closed, never left open, and MSG_CTRUNC says "
                    + "so, for recv_fds and for recvmsg; the process's descriptor count returns to where it was.")
    void ctruncClosesWhatDidNotFit(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        TckTarget.Connection other = connected(t);
        int fd = other.client().fileno();
        int start = t.openDescriptors();
        t.optional("send_fds", () -> Sockets.sendFds(c.client(), List.of(ByteBuffer.wrap(text("a"))), new int[] {fd, fd, fd}, 0, null));
        FdMessage m = Sockets.recvFds(c.server(), 16, 1, 0);
        assertEquals(1, m.fds().length, "descriptors recv_fds(maxfds=1) returned of three");
        assertEquals(MessageFlags.MSG_CTRUNC, m.flags() & MessageFlags.MSG_CTRUNC, "MSG_CTRUNC after three descriptors for one place");
        Sockets.closeFd(m.fds()[0]);
        assertEquals(start, t.openDescriptors(), "open descriptors after recv_fds cut three to one and the one was closed");

        Sockets.sendFds(c.client(), List.of(ByteBuffer.wrap(text("b"))), new int[] {fd, fd, fd}, 0, null);
        Message raw = c.server().recvMsg(16, Sockets.cmsgLen(8), 0);
        assertEquals(MessageFlags.MSG_CTRUNC, raw.flags() & MessageFlags.MSG_CTRUNC, "MSG_CTRUNC of recvmsg with room for two of three");
        assertEquals(1, raw.ancillary().size(), "control messages: " + raw.ancillary());
        Ancillary rights = raw.ancillary().get(0);
        assertEquals(Sockopt.SOL_SOCKET, rights.level(), "the level of the SCM_RIGHTS message");
        assertEquals(Sockopt.SCM_RIGHTS, rights.type(), "the type of the SCM_RIGHTS message");
        assertEquals(8, rights.data().length, "the raw bytes of two descriptors");
        ByteBuffer two = ByteBuffer.wrap(rights.data()).order(ByteOrder.nativeOrder());
        Sockets.closeFd(two.getInt());
        Sockets.closeFd(two.getInt());
        assertEquals(start, t.openDescriptors(), "open descriptors after recvmsg cut three to two and both were closed");
    }

    @Contract(id = "unix.messages.credentials-with-so-passcred",
            families = AddressFamily.AF_UNIX,
            statement = "With SO_PASSCRED set on the receiver, recvmsg returns an SCM_CREDENTIALS message whose struct ucred "
                    + "holds the sender's pid, uid and gid; a sender may also send its own credentials explicitly.")
    void credentialsWithPassCred(TckTarget t) throws Exception {
        TckTarget.Connection c = connected(t);
        t.optional("setsockopt(SO_PASSCRED)", () -> {
            c.server().setOption(Sockopt.SOL_SOCKET, Sockopt.SO_PASSCRED, 1);
            return null;
        });
        long pid = ProcessHandle.current().pid();
        int[] ids = uidGid();
        for (int round = 0; round < 2; round++) {
            List<Ancillary> out = List.of();
            if (round == 1) {
                ByteBuffer ucred = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder()).putInt((int) pid).putInt(ids[0]).putInt(ids[1]);
                out = List.of(new Ancillary(Sockopt.SOL_SOCKET, Sockopt.SCM_CREDENTIALS, ucred.array()));
            }
            List<Ancillary> send = out;
            t.optional("sendmsg", () -> c.client().sendMsg(List.of(ByteBuffer.wrap(text("c"))), send, 0, null));
            Message m = c.server().recvMsg(16, Sockets.cmsgSpace(12), 0);
            String what = round == 0 ? "the credentials the kernel attached" : "the credentials the sender sent";
            assertEquals(1, m.ancillary().size(), "control messages with SO_PASSCRED: " + m.ancillary());
            Ancillary a = m.ancillary().get(0);
            assertEquals(Sockopt.SCM_CREDENTIALS, a.type(), "the type of " + what);
            ByteBuffer u = ByteBuffer.wrap(a.data()).order(ByteOrder.nativeOrder());
            assertEquals(pid, u.getInt(), "the pid in " + what);
            assertEquals(ids[0], u.getInt(), "the uid in " + what);
            assertEquals(ids[1], u.getInt(), "the gid in " + what);
        }
    }

    /** This process's real uid and gid, from /proc/self/status. */
    private static int[] uidGid() throws IOException {
        int uid = -1;
        int gid = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                uid = Integer.parseInt(line.split("\\s+")[1]);
            } else if (line.startsWith("Gid:")) {
                gid = Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        return new int[] {uid, gid};
    }

    // ---- IP and IPv6 control messages ----------------------------------------------------------

    @Contract(id = "datagram.messages.pktinfo-names-the-destination-and-interface",
            semantics = Semantics.DATAGRAM, families = {AddressFamily.AF_INET, AddressFamily.AF_INET6},
            statement = "With IP_PKTINFO (IPv4) or IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT and IPV6_RECVTCLASS (IPv6) set, "
                    + "recvmsg returns the control messages as bytes: the destination address and loopback's interface "
                    + "index, the hop limit and the traffic class.")
    void pktinfoNamesTheDestination(TckTarget t) throws Exception {
        Socket[] pair = DatagramSupport.boundPair(t);
        Socket receiver = pair[1];
        boolean v6 = t.family() == AddressFamily.AF_INET6;
        t.optional("setsockopt by number", () -> {
            if (v6) {
                receiver.setOption(Sockopt.IPPROTO_IPV6, Sockopt.IPV6_RECVPKTINFO, 1);
                receiver.setOption(Sockopt.IPPROTO_IPV6, Sockopt.IPV6_RECVHOPLIMIT, 1);
                receiver.setOption(Sockopt.IPPROTO_IPV6, Sockopt.IPV6_RECVTCLASS, 1);
            } else {
                receiver.setOption(Sockopt.IPPROTO_IP, IP_PKTINFO, 1);
            }
            return null;
        });
        pair[0].sendTo(text("where"), receiver.getSockName());
        Message m = t.optional("recvmsg", () -> receiver.recvMsg(16, 256, 0));
        assertArrayEquals(text("where"), m.data(), "the datagram");
        InetAddress loopback = ((InetSocketAddress) receiver.getSockName()).getAddress();
        int lo = NetworkInterface.getByInetAddress(loopback).getIndex();
        if (!v6) {
            Ancillary info = find(m, Sockopt.IPPROTO_IP, IP_PKTINFO);
            assertEquals(12, info.data().length, "the size of struct in_pktinfo");
            ByteBuffer b = ByteBuffer.wrap(info.data()).order(ByteOrder.nativeOrder());
            assertEquals(lo, b.getInt(0), "ipi_ifindex: loopback's index");
            assertArrayEquals(loopback.getAddress(), Arrays.copyOfRange(info.data(), 8, 12), "ipi_addr: the destination");
            return;
        }
        Ancillary info = find(m, Sockopt.IPPROTO_IPV6, Sockopt.IPV6_PKTINFO);
        assertEquals(20, info.data().length, "the size of struct in6_pktinfo");
        assertArrayEquals(loopback.getAddress(), Arrays.copyOf(info.data(), 16), "ipi6_addr: the destination");
        assertEquals(lo, ByteBuffer.wrap(info.data()).order(ByteOrder.nativeOrder()).getInt(16), "ipi6_ifindex: loopback's index");
        Ancillary hops = find(m, Sockopt.IPPROTO_IPV6, Sockopt.IPV6_HOPLIMIT);
        int hopLimit = ByteBuffer.wrap(hops.data()).order(ByteOrder.nativeOrder()).getInt();
        assertEquals(pair[0].getOption(Sockopt.IPPROTO_IPV6, Sockopt.IPV6_UNICAST_HOPS) == -1 ? 64
                : pair[0].getOption(Sockopt.IPPROTO_IPV6, Sockopt.IPV6_UNICAST_HOPS), hopLimit, "the hop limit received");
        Ancillary tclass = find(m, Sockopt.IPPROTO_IPV6, Sockopt.IPV6_TCLASS);
        assertEquals(0, ByteBuffer.wrap(tclass.data()).order(ByteOrder.nativeOrder()).getInt(), "the traffic class of a default send");
    }

    private static Ancillary find(Message m, int level, int type) {
        return m.ancillary().stream().filter(a -> a.level() == level && a.type() == type).findFirst()
                .orElseThrow(() -> new AssertionError("no control message of level " + level + ", type " + type + " among "
                        + m.ancillary()));
    }
}
