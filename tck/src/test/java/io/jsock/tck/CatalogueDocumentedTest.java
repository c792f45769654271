package io.jsock.tck;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue a provider's author reads: stable, unique ids with a rule each, all in tck/README.md. */
class CatalogueDocumentedTest {

    @Test
    void idsAreUniqueAndShaped() {
        Set<String> seen = new HashSet<>();
        for (Contracts.Case c : Contracts.all()) {
            assertTrue(seen.add(c.id()), "duplicate contract id " + c.id());
            assertTrue(c.id().matches("(stream|datagram|message|unix|socket|raw)(\\.[a-z0-9]+(-[a-z0-9]+)*)+"),
                    "id " + c.id() + " is not a dotted lower-case id such as stream.timeout.recv-raises-after-timeout");
            assertFalse(c.statement().isBlank(), "case " + c.id() + " states no rule");
            assertTrue(c.statement().endsWith("."), "the rule of " + c.id() + " is one sentence ending with a full stop");
        }
        assertTrue(seen.size() > 100, "the catalogue holds " + seen.size() + " cases");
    }

    @Test
    void everyPropertyDeclaresItsSemanticsAndNoCaseNarrowsBeyondItsGroup() {
        for (Contracts.Case c : Contracts.all()) {
            Contract contract = c.method().getAnnotation(Contract.class);
            ContractGroup group = c.method().getDeclaringClass().getAnnotation(ContractGroup.class);
            if (group == null) {
                assertTrue(contract.semantics().length > 0, "property " + c.id() + " declares no semantics: it would run nowhere");
            } else {
                assertTrue(List.of(group.appliesTo()).containsAll(List.of(contract.semantics())),
                        c.id() + " declares semantics its group does not run");
            }
        }
    }

    @Test
    void everyCaseIsInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        List<String> missing = Contracts.all().stream()
                .map(Contracts.Case::id)
                .filter(id -> !readme.contains("`" + id + "`"))
                .collect(Collectors.toList());
        assertEquals(List.of(), missing, "cases missing from tck/README.md's catalogue");
    }
}
