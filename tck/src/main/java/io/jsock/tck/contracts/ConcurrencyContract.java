package io.jsock.tck.contracts;

import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;

/** The concurrency rules of connection-oriented sockets. */
@ContractGroup(name = "concurrency", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class ConcurrencyContract {
}
