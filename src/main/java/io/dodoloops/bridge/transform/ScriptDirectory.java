package io.dodoloops.bridge.transform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.graalvm.polyglot.Source;

/**
 * The transform scripts in {@code bridge.transforms.directory}, each loaded on first use and reloaded when its file
 * changes, so an edited transform applies to the next event without a restart.
 */
final class ScriptDirectory implements AutoCloseable {

    private final Path directory;
    private final JsSandbox sandbox;
    private final Map<String, ScriptVersion> loaded = new ConcurrentHashMap<>();

    ScriptDirectory(Path directory, JsSandbox sandbox) {
        this.directory = directory.toAbsolutePath().normalize();
        this.sandbox = sandbox;
    }

    /** The current version of a script, by file name such as {@code payment_confirmation.js}. */
    ScriptVersion get(String name) {
        Path file = resolve(name);
        FileStamp stamp = stamp(name, file);
        ScriptVersion current = loaded.get(name);
        if (current != null && current.stamp().equals(stamp)) {
            return current;
        }
        return loaded.compute(name, (key, old) -> {
            if (old != null && old.stamp().equals(stamp)) {
                return old; // another thread reloaded it meanwhile
            }
            ScriptVersion fresh = new ScriptVersion(stamp, Source.newBuilder("js", read(name, file), name).buildLiteral(), sandbox);
            if (old != null) {
                old.close();
            }
            return fresh;
        });
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

    private FileStamp stamp(String name, Path file) {
        try {
            return FileStamp.of(file);
        } catch (NoSuchFileException e) {
            throw new TransformException("transform script " + name + " not found in " + directory);
        } catch (IOException e) {
            throw new TransformException("transform script " + name + " cannot be read: " + e.getMessage());
        }
    }

    private String read(String name, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TransformException("transform script " + name + " not found in " + directory);
        } catch (IOException e) {
            throw new TransformException("transform script " + name + " cannot be read: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        loaded.values().forEach(ScriptVersion::close);
        loaded.clear();
    }
}
