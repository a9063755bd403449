package io.dodoloops.bridge.edits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live-edited directory: its files matching a pattern, each handed to an {@link EditHandler} once a change has
 * settled, and what is wrong with them. A change settles when the file looked the same on two checks in a row, so a
 * file still being written is not read half-way; the stamp includes the inode, so a save-by-rename is seen even with
 * the same size and time. Problems are keyed {@code <name>/<file>}, e.g. {@code routes/transform.yaml}, and each
 * is logged once, when it appears.
 */
public final class WatchedDirectory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WatchedDirectory.class);

    private final String name;
    private final Path directory;
    private final String glob;
    private final EditHandler handler;
    // Touched by check() only: the stamp at the previous check (null: missing then), and the one last handed over.
    private final Map<Path, FileStamp> checked = new HashMap<>();
    private final Map<Path, FileStamp> handedOver = new HashMap<>();
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private final Set<Path> readOutsideChecks = ConcurrentHashMap.newKeySet();
    private boolean closed;

    /**
     * @param name      the directory's name in problem keys and health, e.g. {@code routes}
     * @param directory where the files are
     * @param glob      which file names count, e.g. {@code *.yaml}
     */
    public WatchedDirectory(String name, Path directory, String glob, EditHandler handler) {
        this.name = name;
        this.directory = directory.toAbsolutePath().normalize();
        this.glob = glob;
        this.handler = handler;
    }

    /** Looks at every file once: hands over the changes that have settled since the previous check. */
    public synchronized void check() {
        if (closed) {
            return;
        }
        TreeSet<Path> files = new TreeSet<>(list());
        files.addAll(checked.keySet()); // missing now: perhaps deleted
        files.addAll(readOutsideChecks); // watched from now on, e.g. to hand over their deletion
        readOutsideChecks.removeAll(files);
        for (Path file : files) {
            FileStamp now = FileStamp.ofOrNull(file);
            boolean settled = checked.containsKey(file) && Objects.equals(checked.get(file), now);
            checked.put(file, now);
            if (settled && now == null) { // gone, whoever read it (a transform may have been read by its first event)
                checked.remove(file);
                handOver(file, null);
            } else if (settled && !now.equals(handedOver.get(file))) {
                handOver(file, now);
            }
        }
    }

    private void handOver(Path file, FileStamp stamp) {
        String fileName = file.getFileName().toString();
        try {
            if (stamp == null) {
                handedOver.remove(file);
                record(fileName, handler.deleted(file));
                return;
            }
            String text = Files.readString(file, StandardCharsets.UTF_8); // a write racing this read shows at the next check
            handedOver.put(file, stamp);
            record(fileName, handler.apply(file, text));
        } catch (IOException e) {
            record(fileName, "cannot be read (" + e + ")"); // not handed over: tried again at the next check
        } catch (RuntimeException e) { // never let one file stop the checks of the others
            log.error("{}: the edit could not be applied", key(fileName), e);
            record(fileName, "the edit could not be applied (" + e + ")");
        }
    }

    /**
     * For a file the handler read itself, outside a check (a transform at its first event): records what is wrong
     * with it (null: nothing), and watches it from the next check on even if it is gone by then.
     */
    public void report(String fileName, String problem) {
        record(fileName, problem);
        readOutsideChecks.add(directory.resolve(fileName));
    }

    private void record(String fileName, String problem) {
        String key = key(fileName);
        if (problem == null) {
            problems.remove(key);
        } else if (!problem.equals(problems.put(key, problem))) {
            log.warn("{}: {}", key, problem); // once per distinct problem, not per check or event
        }
    }

    /** What is wrong, by {@link #key}; empty when every file applied. */
    public SortedMap<String, String> problems() {
        return new TreeMap<>(problems);
    }

    /** How problems name a file of this directory: {@code transforms/payment_failed.js}. */
    public String key(String fileName) {
        return name + "/" + fileName;
    }

    /** The files that match; none when the directory is missing. */
    public List<Path> list() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> matching = Files.newDirectoryStream(directory, glob)) {
            matching.forEach(file -> {
                if (Files.isRegularFile(file)) {
                    files.add(file);
                }
            });
        } catch (IOException e) {
            // no directory: nothing to watch until it exists
        }
        return files;
    }

    /** Stops the checks: waits for one under way, after which the handler is not called again. */
    @Override
    public synchronized void close() {
        closed = true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return directory + "/" + glob;
    }
}
