package io.jsock.tck.contracts;

import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;

/** The addressing rules of connection-oriented sockets. */
@ContractGroup(name = "addressing", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class AddressingContract {
}
