package io.jsock.tck.contracts;

import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;

/** The errors rules of connection-oriented sockets. */
@ContractGroup(name = "errors", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class ErrorContract {
}
