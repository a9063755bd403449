package io.dodoloops.bridge.transform;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.dodoloops.bridge.edits.EditHandler;
import io.dodoloops.bridge.edits.WatchedDirectory;

/**
 * The transform scripts in {@code bridge.transforms.directory}, each loaded on first use or when the watcher hands
 * it over ({@link #files()}), and replaced when an edit loads. A broken edit is refused: the last good version keeps
 * serving and the file is one of the directory's problems.
 */
final class ScriptDirectory implements EditHandler, AutoCloseable {

    private final Path directory;
    private final JsSandbox sandbox;
    private final Map<String, ScriptSlot> slots = new ConcurrentHashMap<>();
    private final WatchedDirectory files;

    ScriptDirectory(Path directory, JsSandbox sandbox) {
        this.directory = directory.toAbsolutePath().normalize();
        this.sandbox = sandbox;
        this.files = new WatchedDirectory("transforms", directory, "*.js", this);
    }

    /** The current version of a script, by file name such as {@code payment_confirmation.js}. */
    ScriptVersion get(String name) {
        return slot(resolve(name).getFileName().toString()).serve(); // "./a.js" and "a.js" are one script
    }

    @Override
    public String apply(Path file, String text) {
        return slot(file.getFileName().toString()).load(text);
    }

    @Override
    public String deleted(Path file) {
        String name = file.getFileName().toString();
        ScriptSlot slot = slots.get(name);
        String problem = slot == null ? null : slot.deleted();
        if (slot != null && problem == null) { // no event asked for it: forget it
            slots.remove(name, slot);
            slot.close();
        }
        return problem;
    }

    WatchedDirectory files() {
        return files;
    }

    /** The scripts with a version ready to serve. */
    List<String> loaded() {
        return slots.entrySet().stream().filter(e -> e.getValue().isServing()).map(Map.Entry::getKey).sorted().toList();
    }

    private ScriptSlot slot(String name) {
        return slots.computeIfAbsent(name, key -> new ScriptSlot(key, directory.resolve(key), sandbox,
                problem -> files.report(key, problem)));
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
        files.close();
        slots.values().forEach(ScriptSlot::close);
    }
}
