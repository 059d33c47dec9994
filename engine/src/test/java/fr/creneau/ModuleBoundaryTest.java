package fr.creneau;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;

import javax.tools.JavaCompiler;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import fr.creneau.index.SlotIndex;

/**
 * The engine's surface as a modular host sees it: the packages its descriptor exports, what a
 * host module can and cannot compile against, the index view hosts get, and no cycle between the
 * engine's packages (so that a capability can be read, tested and changed from its leaves up).
 */
class ModuleBoundaryTest {
    private static final Set<String> EXPORTED = Set.of("fr.creneau", "fr.creneau.audit", "fr.creneau.booking", "fr.creneau.booking.outbox", "fr.creneau.calendar",
        "fr.creneau.directory", "fr.creneau.error", "fr.creneau.feed", "fr.creneau.outcome", "fr.creneau.pdsa", "fr.creneau.pull", "fr.creneau.rank",
        "fr.creneau.slot");
    private static final Set<String> WRITERS = Set.of("replace", "updateDirectory", "advance", "casState", "retire",
        "cursor", "cells");

    private static Path classes() throws URISyntaxException {
        return Path.of(Creneau.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void theDescriptorExportsTheHostApiAndNotTheIndex() throws Exception {
        final ModuleDescriptor d;
        try (InputStream in = Files.newInputStream(classes().resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertThat(d.name()).isEqualTo("fr.creneau.engine");
        final Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertThat(exported).isEqualTo(EXPORTED);
        assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).isFalse());
    }

    @Test
    void aHostModuleCompilesAgainstTheFacadeButCannotNameTheIndex(@TempDir final Path tmp) throws Exception {
        final String facade = """
            package host;
            import fr.creneau.Creneau;
            import fr.creneau.rank.RegulatorQuery;
            import fr.creneau.rank.SearchResults;
            import fr.creneau.slot.IndexView;
            import fr.creneau.slot.SlotId;
            public final class Host {
                public static int run(Creneau c) {
                    IndexView view = c.index();
                    SlotId id = SlotId.parse("doctolib.10000000017.20261123T1300Z");
                    return c.search(new RegulatorQuery().patient(48.85, 2.35), new SearchResults()) + view.state(0)
                        + id.startMinute();
                }
            }
            """;
        final String internal = """
            package host;
            import fr.creneau.index.SlotIndex;
            public final class Sneaky {
                public static Object writer(fr.creneau.Creneau c) {
                    return (SlotIndex) (Object) c.index();
                }
            }
            """;
        assertThat(compileHost(tmp.resolve("ok"), facade, "Host")).isEmpty();
        assertThat(compileHost(tmp.resolve("sneaky"), internal, "Sneaky"))
            .contains("package fr.creneau.index is not visible");
    }

    /** Compiles {@code source} in a module {@code host} that requires the engine; returns the errors. */
    private static String compileHost(final Path dir, final String source, final String className) throws Exception {
        final Path src = dir.resolve("src/host");
        Files.createDirectories(src);
        Files.writeString(dir.resolve("src/module-info.java"), "module host { requires fr.creneau.engine; }");
        Files.writeString(src.resolve(className + ".java"), source);
        final JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        final StringWriter errors = new StringWriter();
        final List<String> options = List.of("-d", dir.resolve("out").toString(), "--module-path",
            modulePath(true), "-Xlint:-requires-automatic");
        final var fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
        final var units = fm.getJavaFileObjects(dir.resolve("src/module-info.java"), src.resolve(className + ".java"));
        final boolean ok = javac.getTask(errors, fm, null, options, null, units).call();
        return ok ? "" : errors.toString().isEmpty() ? "failed" : errors.toString();
    }

    /** The jars the engine requires, from this test's class path, and (with {@code engine}) its classes first. */
    private static String modulePath(final boolean engine) throws URISyntaxException {
        final List<String> path = new ArrayList<>();
        if (engine) {
            path.add(classes().toString());
        }
        for (final String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            final String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("jackson-") || name.startsWith("agrona-") || name.startsWith("h3-")
                || name.startsWith("HdrHistogram-")
                || name.startsWith("jts-") || name.startsWith("json-simple-")) {
                path.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, path);
    }

    @Test
    void theIndexAHostGetsCanNeitherWriteNorBeCastToTheWriter() {
        try (Creneau c = Creneau.builder().expiryTimer(false).build()) {
            final Object view = c.index();
            assertThat(view).isNotInstanceOf(SlotIndex.class);
            final Set<String> methods = Arrays.stream(view.getClass().getMethods()).map(Method::getName)
                .collect(Collectors.toSet());
            assertThat(methods).doesNotContainAnyElementsOf(WRITERS).contains("findSlot", "stateWord", "stats");
        }
    }

    @Test
    void theEnginesPackagesFormNoCycle() throws Exception {
        final ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int rc = jdeps.run(new PrintStream(out, true, StandardCharsets.UTF_8), System.err,
            "--multi-release", "17", "--module-path", modulePath(false), "-verbose:package", "-filter:none", classes().toString());
        assertThat(rc).isZero();
        final Map<String, Set<String>> edges = new HashMap<>();
        final Matcher m = Pattern.compile("^\\s+(fr\\.creneau[\\w.]*)\\s+->\\s+(fr\\.creneau[\\w.]*)\\s", Pattern.MULTILINE)
            .matcher(out.toString(StandardCharsets.UTF_8));
        while (m.find()) {
            if (!m.group(1).equals(m.group(2))) {
                edges.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        assertThat(edges).as("jdeps found the engine's package dependencies").isNotEmpty();
        assertThat(cycle(edges)).as("a package cycle").isEmpty();
    }

    /** A cycle of the graph, as its packages in order, or an empty list. */
    private static List<String> cycle(final Map<String, Set<String>> edges) {
        final Set<String> done = new HashSet<>();
        for (final String start : edges.keySet()) {
            final List<String> path = new ArrayList<>();
            final List<String> found = visit(start, edges, path, new HashSet<>(), done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> visit(final String node, final Map<String, Set<String>> edges, final List<String> path,
                                       final Set<String> onPath, final Set<String> done) {
        if (onPath.contains(node)) {
            final List<String> c = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            c.add(node);
            return c;
        }
        if (!done.add(node)) {
            return List.of();
        }
        path.add(node);
        onPath.add(node);
        for (final String next : edges.getOrDefault(node, Set.of())) {
            final List<String> c = visit(next, edges, path, onPath, done);
            if (!c.isEmpty()) {
                return c;
            }
        }
        path.remove(path.size() - 1);
        onPath.remove(node);
        return List.of();
    }
}
