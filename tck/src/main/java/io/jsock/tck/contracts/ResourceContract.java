package io.jsock.tck.contracts;

import io.jsock.tck.ContractGroup;
import io.jsock.tck.Semantics;

/** The resources rules of connection-oriented sockets. */
@ContractGroup(name = "resources", appliesTo = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
public final class ResourceContract {
}
