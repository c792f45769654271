package io.jsock.tck.contracts;

import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;

/** The options rules of connection-oriented sockets. */
@ContractGroup(name = "options", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class OptionContract {
}
