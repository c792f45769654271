package io.jsock.tck.contracts;

import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;

/** The transfer rules of connection-oriented sockets. */
@ContractGroup(name = "transfer", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class TransferContract {
}
