package io.jsock.core;

import io.jsock.Ancillary;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One message for sendmsg(2) or recvmsg(2), laid out in native memory this object owns: the
 * {@code struct msghdr}, the sender's or destination's sockaddr, the iovecs and the control
 * messages; heap bytes go through a data area it owns too. It holds every direct buffer an iovec
 * points into until {@link #end}, and {@link Sys} keeps it reachable for the call, so no address
 * written here outlives its memory. Used by one side of a socket, under that side's lock.
 */
final class MsgHdr {
    /** struct msghdr on LP64 Linux (x86-64, aarch64). */
    static final class Header {
        static final int NAME = 0;                  // void *msg_name
        static final int NAMELEN = NAME + 8;        // socklen_t msg_namelen, then 4 bytes of padding
        static final int IOV = NAMELEN + 8;         // struct iovec *msg_iov
        static final int IOVLEN = IOV + 8;          // size_t msg_iovlen
        static final int CONTROL = IOVLEN + 8;      // void *msg_control
        static final int CONTROLLEN = CONTROL + 8;  // size_t msg_controllen
        static final int FLAGS = CONTROLLEN + 8;    // int msg_flags, then 4 bytes of padding
        static final int SIZE = FLAGS + 8;          // 56
    }

    /** struct iovec. */
    static final class IoVec {
        static final int BASE = 0;                  // void *iov_base
        static final int LEN = BASE + 8;            // size_t iov_len
        static final int SIZE = LEN + 8;            // 16
    }

    /** struct cmsghdr. */
    static final class CmsgHdr {
        static final int LEN = 0;                   // size_t cmsg_len
        static final int LEVEL = LEN + 8;           // int cmsg_level
        static final int TYPE = LEVEL + 4;          // int cmsg_type
        static final int SIZE = TYPE + 4;           // 16, already aligned: CMSG_DATA follows at once

        static int space(int length) {
            return SIZE + align(length);
        }
    }

    /** Linux's IOV_MAX: the most iovecs one call takes. */
    static final int IOV_MAX = 1024;
    /** A data area up to this size is kept for the next message; a larger one is the one call's. */
    private static final int KEEP_DATA = 256 * 1024;

    private static final int NAME_AT = Header.SIZE;
    private static final int IOV_AT = NAME_AT + SockAddr.STORAGE;

    Mem mem;
    private Mem data;
    private int controlAt;
    private int iovCount;
    private int dataUsed;
    private final List<ByteBuffer> held = new ArrayList<>();

    static int align(int n) {
        return (n + 7) & ~7;
    }

    /** Starts a message of at most {@code iovs} iovecs, {@code heapBytes} bytes of heap data and {@code controlSize} control bytes. */
    void begin(int iovs, int heapBytes, int controlSize) {
        controlAt = IOV_AT + iovs * IoVec.SIZE;
        int size = controlAt + controlSize;
        if (mem == null || mem.size() < size) {
            int grown = mem == null ? 1024 : (int) Math.min(Integer.MAX_VALUE - 8, 2L * mem.size());
            mem = Mem.allocate(Math.max(size, grown));
        }
        if (heapBytes > 0 && (data == null || data.size() < heapBytes)) {
            data = Mem.allocate(heapBytes <= KEEP_DATA ? Math.max(heapBytes, data == null ? 8192 : Math.min(KEEP_DATA, 2 * data.size()))
                    : heapBytes);
        }
        iovCount = 0;
        dataUsed = 0;
        mem.putLong(Header.NAME, 0);
        mem.putLong(Header.NAMELEN, 0);
        mem.putLong(Header.IOV, mem.address + IOV_AT);
        mem.putLong(Header.IOVLEN, 0);
        mem.putLong(Header.CONTROL, 0);
        mem.putLong(Header.CONTROLLEN, 0);
        mem.putLong(Header.FLAGS, 0);
    }

    /** Lets go of the caller's buffers, and of a data area too large to keep. */
    void end() {
        held.clear();
        if (data != null && data.size() > KEEP_DATA) {
            data = null;
        }
    }

    /** An iovec over {@code length} bytes of a direct buffer from {@code offset} (not its position). */
    void iov(ByteBuffer direct, long address, int offset, int length) {
        held.add(direct);
        putIov(address + offset, length);
    }

    /** An iovec over the next {@code length} bytes of the data area; returns their offset there. */
    int dataIov(int length) {
        int at = dataUsed;
        putIov(data.address + at, length);
        dataUsed += length;
        return at;
    }

    private void putIov(long base, int length) {
        int at = IOV_AT + iovCount * IoVec.SIZE;
        mem.putLong(at + IoVec.BASE, base);
        mem.putLong(at + IoVec.LEN, length);
        iovCount++;
        mem.putLong(Header.IOVLEN, iovCount);
    }

    /** The data area, for copying heap bytes in and out. */
    Mem data() {
        return data;
    }

    /** The destination of a send. */
    void destination(SocketAddress to, SockAddr.Encoded encoded) {
        int length = encoded.encode(to, mem, NAME_AT);
        mem.putLong(Header.NAME, mem.address + NAME_AT);
        mem.putInt(Header.NAMELEN, length);
    }

    /** Room for the sender's address of a receive. */
    void senderRoom() {
        mem.putLong(Header.NAME, mem.address + NAME_AT);
        mem.putInt(Header.NAMELEN, SockAddr.STORAGE);
    }

    /** The sender the kernel wrote, or null when it wrote none. */
    SocketAddress sender(SockAddr.Cache cache) {
        int length = mem.getInt(Header.NAMELEN);
        return length == 0 ? null : cache.decode(mem, NAME_AT, length);
    }

    /** The control area of {@code size} bytes, as the kernel gets it. */
    void control(int size) {
        if (size > 0) {
            mem.putLong(Header.CONTROL, mem.address + controlAt);
        }
        mem.putLong(Header.CONTROLLEN, size);
    }

    /** The control messages, each at its CMSG_SPACE, the last without its trailing padding (as CPython's sendmsg lays them out). */
    static int controlSize(Ancillary[] ancillary) {
        long size = 0;
        for (int i = 0; i < ancillary.length; i++) {
            int length = ancillary[i].data().length;
            size += i == ancillary.length - 1 ? CmsgHdr.SIZE + length : CmsgHdr.space(length);
        }
        if (size > Integer.MAX_VALUE - IOV_AT - IOV_MAX * IoVec.SIZE) {
            throw new IllegalArgumentException("ancillary data too large: " + size + " bytes");
        }
        return (int) size;
    }

    /** Writes the control messages into the control area (begun with at least {@link #controlSize} bytes). */
    void putControl(Ancillary[] ancillary) {
        int at = controlAt;
        for (Ancillary a : ancillary) {
            byte[] d = a.data();
            int space = CmsgHdr.space(d.length);
            for (int i = CmsgHdr.SIZE + d.length; i < space && at + i < mem.size(); i++) {
                mem.putByte(at + i, (byte) 0);
            }
            mem.putLong(at + CmsgHdr.LEN, CmsgHdr.SIZE + d.length);
            mem.putInt(at + CmsgHdr.LEVEL, a.level());
            mem.putInt(at + CmsgHdr.TYPE, a.type());
            mem.put(at + CmsgHdr.SIZE, d, 0, d.length);
            at += space;
        }
    }

    /** The flags out of a receive. */
    int flags() {
        return mem.getInt(Header.FLAGS);
    }

    /**
     * The control messages the kernel wrote, walked as CMSG_FIRSTHDR / CMSG_NXTHDR do; one cut short
     * (MSG_CTRUNC) keeps the bytes that are there, as CPython's recvmsg does.
     */
    List<Ancillary> received() {
        long length = mem.getLong(Header.CONTROLLEN);
        if (length < CmsgHdr.SIZE) {
            return List.of();
        }
        List<Ancillary> out = new ArrayList<>(2);
        long at = 0;
        while (at + CmsgHdr.SIZE <= length) {
            int base = controlAt + (int) at;
            long cmsgLen = mem.getLong(base + CmsgHdr.LEN);
            if (cmsgLen < CmsgHdr.SIZE) {
                break;
            }
            int dataLength = (int) (Math.min(cmsgLen, length - at) - CmsgHdr.SIZE);
            byte[] d = new byte[dataLength];
            mem.get(base + CmsgHdr.SIZE, d, 0, dataLength);
            out.add(new Ancillary(mem.getInt(base + CmsgHdr.LEVEL), mem.getInt(base + CmsgHdr.TYPE), d));
            at += align((int) Math.min(cmsgLen, Integer.MAX_VALUE - 8));
        }
        return out;
    }
}
