package io.jsock.tck;

import io.jsock.AddressFamily;
import io.jsock.Protocols;
import io.jsock.SocketType;
import io.jsock.spi.SocketProvider;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalogue: every contract group and case of the TCK, and which apply to a triple.
 */
public final class Contracts {
    private static final List<Class<?>> GROUPS = List.of(
            io.jsock.tck.contracts.LifecycleContract.class,
            io.jsock.tck.contracts.AddressingContract.class,
            io.jsock.tck.contracts.TransferContract.class,
            io.jsock.tck.contracts.TimeoutContract.class,
            io.jsock.tck.contracts.ErrorContract.class,
            io.jsock.tck.contracts.OptionContract.class,
            io.jsock.tck.contracts.ConcurrencyContract.class,
            io.jsock.tck.contracts.ResourceContract.class,
            io.jsock.tck.contracts.ThreadsContract.class,
            io.jsock.tck.contracts.UnixContract.class,
            io.jsock.tck.contracts.MessageContract.class,
            io.jsock.tck.contracts.DatagramLifecycleContract.class,
            io.jsock.tck.contracts.DatagramTransferContract.class,
            io.jsock.tck.contracts.DatagramTimeoutContract.class,
            io.jsock.tck.contracts.DatagramErrorContract.class,
            io.jsock.tck.contracts.DatagramOptionContract.class,
            io.jsock.tck.contracts.DatagramConcurrencyContract.class,
            io.jsock.tck.contracts.DatagramResourceContract.class,
            io.jsock.tck.contracts.DatagramThreadsContract.class,
            io.jsock.tck.contracts.FlagsContract.class,
            io.jsock.tck.contracts.OutOfBandContract.class,
            io.jsock.tck.contracts.DatagramFlagsContract.class,
            io.jsock.tck.contracts.DescriptorContract.class,
            io.jsock.tck.contracts.FaultContract.class,
            io.jsock.tck.contracts.FileContract.class,
            io.jsock.tck.contracts.DatagramBatchContract.class,
            io.jsock.tck.contracts.StreamBatchContract.class,
            io.jsock.tck.contracts.ReadinessContract.class,
            io.jsock.tck.contracts.DatagramReadinessContract.class,
            io.jsock.tck.contracts.MessagesContract.class,
            io.jsock.tck.contracts.RawContract.class);

    private Contracts() {
    }

    /**
     * One case of the catalogue.
     *
     * @param group     the group's name
     * @param id        the stable id
     * @param statement the BSD behaviour it checks
     * @param method    the method that checks it
     */
    public record Case(String group, String id, String statement, Method method) {
        /**
         * Whether the case runs for the triple: its semantics and family are among those its
         * {@link Contract} declares, or where it declares none, among those of its {@link ContractGroup}.
         */
        public boolean appliesTo(Triple triple) {
            Semantics semantics = Semantics.of(triple.family(), triple.type());
            return semantics != null && semantics().contains(semantics)
                    && (families().isEmpty() || families().contains(triple.family()))
                    && Arrays.stream(method.getAnnotation(Contract.class).notProtocols()).noneMatch(p -> p == triple.proto())
                    && (method.getAnnotation(Contract.class).protocols().length == 0
                        || Arrays.stream(method.getAnnotation(Contract.class).protocols()).anyMatch(p -> p == triple.proto()));
        }

        /** The semantics the case declares, or its group's. */
        public Set<Semantics> semantics() {
            Contract c = method.getAnnotation(Contract.class);
            ContractGroup g = method.getDeclaringClass().getAnnotation(ContractGroup.class);
            Semantics[] declared = c.semantics().length > 0 || g == null ? c.semantics() : g.appliesTo();
            return declared.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(declared));
        }

        /** The families the case declares, or its group's; empty means every family. */
        public Set<AddressFamily> families() {
            Contract c = method.getAnnotation(Contract.class);
            ContractGroup g = method.getDeclaringClass().getAnnotation(ContractGroup.class);
            AddressFamily[] declared = c.families().length > 0 || g == null ? c.families() : g.families();
            return declared.length == 0 ? Set.of() : EnumSet.copyOf(Arrays.asList(declared));
        }
    }

    /** One triple a provider claims. */
    public record Triple(AddressFamily family, SocketType type, int proto) {
        @Override
        public String toString() {
            return family + " " + type + (proto == 0 ? "" : " proto " + proto);
        }
    }

    /** Every group class, in matrix order. */
    public static List<Class<?>> groupClasses() {
        return GROUPS;
    }

    /** The names of every group, in matrix order, with {@code properties} last. */
    public static List<String> groupNames() {
        List<String> names = new ArrayList<>();
        for (Class<?> g : GROUPS) {
            String name = g.getAnnotation(ContractGroup.class).name();
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        names.add(ProviderProperties.GROUP);
        return names;
    }

    /**
     * The cases that apply to a triple, by group name, in matrix order; classes that share a group
     * name (a stream and a datagram "transfer" group) fill one column.
     */
    public static Map<String, List<Case>> casesFor(Triple triple) {
        Semantics semantics = Semantics.of(triple.family(), triple.type());
        Map<String, List<Case>> byGroup = new LinkedHashMap<>();
        for (Class<?> g : GROUPS) {
            ContractGroup group = g.getAnnotation(ContractGroup.class);
            if (semantics == null || !Arrays.asList(group.appliesTo()).contains(semantics)) {
                continue;
            }
            if (group.families().length > 0 && !Arrays.asList(group.families()).contains(triple.family())) {
                continue;
            }
            for (Case c : casesOf(g, group.name())) {
                if (c.appliesTo(triple)) {
                    byGroup.computeIfAbsent(group.name(), k -> new ArrayList<>()).add(c);
                }
            }
        }
        return byGroup;
    }

    /** The jqwik properties of {@link ProviderProperties} that apply to the triple, by their declared semantics and families. */
    public static List<Case> propertiesFor(Triple triple) {
        List<Case> applicable = new ArrayList<>();
        for (Case c : casesOf(ProviderProperties.class, ProviderProperties.GROUP)) {
            if (c.appliesTo(triple)) {
                applicable.add(c);
            }
        }
        return applicable;
    }

    /** Every case of the catalogue, properties included. */
    public static List<Case> all() {
        List<Case> all = new ArrayList<>();
        for (Class<?> g : GROUPS) {
            all.addAll(casesOf(g, g.getAnnotation(ContractGroup.class).name()));
        }
        all.addAll(casesOf(ProviderProperties.class, ProviderProperties.GROUP));
        return all;
    }

    /** The case with this id. */
    public static Optional<Case> byId(String id) {
        return all().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /**
     * The triples a provider claims, over every family and type in enum order and, for each, the
     * protocols of {@link #protocolsTried}; those with no semantics in the TCK are left out.
     */
    public static List<Triple> triplesOf(SocketProvider provider) {
        List<Triple> triples = new ArrayList<>();
        for (AddressFamily f : AddressFamily.values()) {
            for (SocketType t : SocketType.values()) {
                if (Semantics.of(f, t) == null) {
                    continue;
                }
                for (int proto : protocolsTried(f, t)) {
                    if (provider.supports(f, t, proto)) {
                        triples.add(new Triple(f, t, proto));
                    }
                }
            }
        }
        return triples;
    }

    /** htons(ETH_P_ALL): an AF_PACKET socket of every protocol, Python's {@code socket(AF_PACKET, type, 768)}. */
    public static final int ETH_P_ALL_NETWORK_ORDER = 0x0300;

    /**
     * The protocols the TCK tries for a family and type, in the order rows are listed: the default
     * (0) and the named protocols of the same type that Linux offers where its kernel has them
     * ({@code IPPROTO_MPTCP} on AF_INET/AF_INET6 SOCK_STREAM, {@code IPPROTO_UDPLITE} on SOCK_DGRAM);
     * for SOCK_RAW, which has no default, {@code IPPROTO_ICMP} (AF_INET) or {@code IPPROTO_ICMPV6}
     * (AF_INET6); for AF_PACKET, {@link #ETH_P_ALL_NETWORK_ORDER}.
     */
    public static List<Integer> protocolsTried(AddressFamily family, SocketType type) {
        boolean inet = family == AddressFamily.AF_INET || family == AddressFamily.AF_INET6;
        if (family == AddressFamily.AF_PACKET) {
            return List.of(ETH_P_ALL_NETWORK_ORDER);
        }
        if (type == SocketType.SOCK_RAW) {
            return family == AddressFamily.AF_INET ? List.of(Protocols.IPPROTO_ICMP)
                    : family == AddressFamily.AF_INET6 ? List.of(Protocols.IPPROTO_ICMPV6) : List.of(Protocols.DEFAULT);
        }
        if (inet && type == SocketType.SOCK_STREAM) {
            return List.of(Protocols.DEFAULT, Protocols.IPPROTO_MPTCP);
        }
        if (inet && type == SocketType.SOCK_DGRAM) {
            return List.of(Protocols.DEFAULT, Protocols.IPPROTO_UDPLITE);
        }
        return List.of(Protocols.DEFAULT);
    }

    private static List<Case> casesOf(Class<?> groupClass, String group) {
        List<Case> cases = new ArrayList<>();
        for (Method m : groupClass.getDeclaredMethods()) {
            Contract c = m.getAnnotation(Contract.class);
            if (c != null && !Modifier.isStatic(m.getModifiers())) {
                cases.add(new Case(group, c.id(), c.statement(), m));
            }
        }
        cases.sort(Comparator.comparing(Case::id));
        return cases;
    }
}
