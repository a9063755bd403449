package io.dodoloops.bridge.transform;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transform scripts in {@code bridge.transforms.directory}, each loaded on first use or first {@link #check()},
 * and reloaded when its file changes, so an edited transform applies without a restart. A broken edit is refused:
 * the last good version keeps serving and the file is listed in {@link #problems()}.
 */
final class ScriptDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScriptDirectory.class);

    private final Path directory;
    private final JsSandbox sandbox;
    private final Map<String, ScriptSlot> slots = new ConcurrentHashMap<>();

    ScriptDirectory(Path directory, JsSandbox sandbox) {
        this.directory = directory.toAbsolutePath().normalize();
        this.sandbox = sandbox;
    }

    /** The current version of a script, by file name such as {@code payment_confirmation.js}. */
    ScriptVersion get(String name) {
        Path file = resolve(name);
        return slot(file.getFileName().toString(), file).serve(); // "./a.js" and "a.js" are one script
    }

    /**
     * Looks at every script in use and every {@code *.js} in the directory (a stat each, a load if changed), so that
     * edits apply and broken files are reported even while no event arrives.
     */
    void check() {
        TreeSet<String> names = new TreeSet<>(slots.keySet());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.js")) {
            files.forEach(file -> {
                if (Files.isRegularFile(file)) {
                    names.add(file.getFileName().toString());
                }
            });
        } catch (IOException e) {
            // no directory: the scripts in use report themselves as not found
        }
        for (String name : names) {
            if (sandbox.isClosed()) {
                return;
            }
            try {
                slot(name, directory.resolve(name)).check();
            } catch (RuntimeException e) { // never let one script stop the checks of the others
                log.warn("transform {}: could not check for edits: {}", name, e.toString());
            }
        }
    }

    /** Script name to what is wrong with its file, for scripts that have a problem. */
    SortedMap<String, String> problems() {
        SortedMap<String, String> problems = new TreeMap<>();
        slots.forEach((name, slot) -> {
            String problem = slot.problem();
            if (problem != null) {
                problems.put(name, problem);
            }
        });
        return problems;
    }

    /** The scripts with a version ready to serve. */
    List<String> loaded() {
        return slots.entrySet().stream().filter(e -> e.getValue().isServing()).map(Map.Entry::getKey).sorted().toList();
    }

    private ScriptSlot slot(String name, Path file) {
        return slots.computeIfAbsent(name, key -> new ScriptSlot(key, file, sandbox));
    }

    private Path resolve(String name) {
        if (name == null || name.isBlank()) {
            throw new TransformException("no transform script named; pass a file name such as payment_confirmation.js");
        }
        Path file = directory.resolve(name).normalize();
        if (!file.getParent().equals(directory)) {
            throw new TransformException("transform script name '" + name + "' must be a plain file name in " + directory);
        }
        return file;
    }

    @Override
    public void close() {
        slots.values().forEach(ScriptSlot::close);
    }
}
