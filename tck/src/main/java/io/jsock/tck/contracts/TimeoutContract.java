package io.jsock.tck.contracts;

import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;

/** The timeouts rules of connection-oriented sockets. */
@ContractGroup(name = "timeouts", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class TimeoutContract {
}
