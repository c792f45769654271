package io.jsock.tck.contracts;

import io.jsock.Socket;
import io.jsock.tck.Contract;
import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;
import io.jsock.tck.TckTarget;

/**
 * Virtual threads and datagram sockets: a recvfrom blocked on a virtual thread must leave its
 * carrier to other virtual threads, and close() must still end it (Java 21 and later).
 */
@ContractGroup(name = "threads", appliesTo = Semantics.DATAGRAM)
public final class DatagramThreadsContract {

    @Contract(id = "datagram.threads.blocked-recvfrom-leaves-scheduler-free",
            statement = "recvfrom blocked on many more virtual threads than there are carrier threads, each on its own idle socket, "
                    + "leaves the scheduler free: another virtual thread runs at once, and close() ends every recvfrom with EBADF.")
    void blockedRecvfromLeavesSchedulerFree(TckTarget t) throws Exception {
        try (BlockedVirtualThreads blocked = BlockedVirtualThreads.of(t, "recvFrom")) {
            for (int i = 0; i < blocked.count(); i++) {
                Socket s = t.bound();
                blocked.start(s, () -> s.recvFrom(100));
            }
            blocked.assertSchedulerFreeAndCloseEndsEach();
        }
    }
}
