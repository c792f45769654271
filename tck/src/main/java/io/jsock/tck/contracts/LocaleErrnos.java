package io.jsock.tck.contracts;

import io.jsock.tck.TckTarget;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The locale cases: a child JVM under German and Japanese locales must get the errnos it gets
 * under C. The JVM calls setlocale(LC_ALL, ""), so strerror(3), whose text JDK exceptions carry,
 * speaks the locale of LC_ALL, else LC_MESSAGES, else LANG; a provider that reads the errno from
 * that text gets it wrong.
 */
final class LocaleErrnos {
    /** The locales besides C, with messages in another language and another script. */
    static final List<String> LOCALES = List.of("de_DE.UTF-8", "ja_JP.UTF-8");
    /** jsock's script that installs them, named in skips and failures. */
    static final String SETUP = ".ci/setup-locales (as root, on Debian)";

    private static final String STRERROR = "strerror ENOENT: ";

    private LocaleErrnos() {
    }

    /** Runs the probe's errno scenarios under C and under each of {@link #LOCALES} and compares the errnos. */
    static void assertSameUnderEveryLocale(TckTarget t) throws Exception {
        List<String> missing = new ArrayList<>(LOCALES);
        missing.removeIf(installedLocales()::contains);
        if (!missing.isEmpty()) {
            notMeaningful(t, "The locales " + missing + " are not installed (locale -a lacks them)");
        }
        ChildJvm.Result c = ChildJvm.probe(t, "errnos", environment("C"));
        String english = strerror(c);
        Map<String, String> expected = errnos(c);
        List<String> wrong = new ArrayList<>();
        List<String> texts = new ArrayList<>(List.of("C '" + english + "'"));
        for (String locale : LOCALES) {
            ChildJvm.Result r = ChildJvm.probe(t, "errnos", environment(locale));
            if (strerror(r).equals(english)) {
                notMeaningful(t, "Under LANG=LC_ALL=" + locale + " the JVM still says '" + english
                        + "' for ENOENT, so glibc's translations (Debian's libc-l10n) are missing");
            }
            texts.add(locale + " '" + strerror(r) + "'");
            Map<String, String> got = errnos(r);
            for (Map.Entry<String, String> e : expected.entrySet()) {
                String there = got.get(e.getKey());
                if (!e.getValue().equals(there)) {
                    wrong.add(e.getKey() + ": " + there + " under " + locale + ", " + e.getValue() + " under C");
                }
            }
        }
        if (!wrong.isEmpty()) {
            fail("the errnos a child JVM gets must not depend on its locale; they differ in " + String.join("; ", wrong)
                    + " (the JVMs' own text for ENOENT: " + String.join(", ", texts) + ")");
        }
    }

    /**
     * LANG and LC_ALL set to {@code locale}; LANGUAGE removed, since gettext prefers it to LC_ALL
     * for messages and a parent's LANGUAGE=en would hide the locale.
     */
    private static Map<String, String> environment(String locale) {
        Map<String, String> env = new HashMap<>();
        env.put("LANG", locale);
        env.put("LC_ALL", locale);
        env.put("LANGUAGE", null);
        return env;
    }

    /** Fails under CI (CI=true), where the setup script must have run; skips elsewhere. */
    private static void notMeaningful(TckTarget t, String why) {
        String what = why + "; the case would prove nothing. " + SETUP + " installs them";
        if ("true".equals(System.getenv("CI"))) {
            fail(what + ", and CI must run it before the tests.");
        }
        throw t.skip(what + ".");
    }

    private static String strerror(ChildJvm.Result r) {
        return r.lines().stream().filter(l -> l.startsWith(STRERROR)).findFirst()
                .map(l -> l.substring(STRERROR.length()))
                .orElseThrow(() -> new AssertionError("the probe JVM printed no '" + STRERROR + "' line: " + r.stdout()));
    }

    /** Scenario name to errno, from the probe's "scenario ERRNO" lines. */
    private static Map<String, String> errnos(ChildJvm.Result r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : r.lines()) {
            if (!line.startsWith(STRERROR)) {
                int space = line.indexOf(' ');
                m.put(space < 0 ? line : line.substring(0, space), space < 0 ? "" : line.substring(space + 1));
            }
        }
        return m;
    }

    /** What {@code locale -a} lists, as LOCALES spells them; none if there is no locale command. */
    private static List<String> installedLocales() throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
        } catch (IOException noLocaleCommand) {
            return List.of();
        }
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("locale -a did not end within 10 s");
            }
            String listed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            List<String> found = new ArrayList<>();
            for (String wanted : LOCALES) {
                if (listed.lines().map(LocaleErrnos::normalise).anyMatch(normalise(wanted)::equals)) {
                    found.add(wanted);
                }
            }
            return found;
        } catch (IOException e) {
            throw new AssertionError("reading what locale -a lists", e);
        } finally {
            p.destroyForcibly();
        }
    }

    /** locale -a spells de_DE.UTF-8 as de_DE.utf8. */
    private static String normalise(String locale) {
        return locale.toLowerCase(Locale.ROOT).replaceAll("[._-]", "");
    }
}
