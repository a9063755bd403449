package io.dodoloops.bridge.transform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

import org.graalvm.polyglot.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transform file and the version of it that serves events. A changed text replaces that version only if it
 * loads, so a broken edit leaves the last good version serving; the breakage is logged once and kept as the slot's
 * {@link #problem()} until the file changes again.
 */
final class ScriptSlot implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JavaScriptTransforms.class);

    /**
     * What the slot knows, replaced whole so that events read it without a lock.
     *
     * @param stamp   the file as last read; null when missing, unreadable or not read yet, so the next look reads it
     * @param serving the last version that loaded, or null
     * @param problem what is wrong with the file, for the log and health, or null
     * @param failure why events fail while nothing is serving
     */
    private record State(FileStamp stamp, ScriptVersion serving, String problem, TransformException failure) {
    }

    private final String name;
    private final Path file;
    private final JsSandbox sandbox;
    private volatile State state = new State(null, null, null, null);
    // Asked for by an event, i.e. named by a route: only then is a missing file a problem, not just a removed one.
    private volatile boolean requested;
    // What the previous check saw (null: missing), to load a change only once it has held still for one check
    // interval: a file being written in place is briefly empty or half there, which is no edit worth a warning.
    private FileStamp checkedStamp;
    private boolean checkedOnce;

    ScriptSlot(String name, Path file, JsSandbox sandbox) {
        this.name = name;
        this.file = file;
        this.sandbox = sandbox;
    }

    /** The version for an event: one stat call while the file is unchanged. */
    ScriptVersion serve() {
        requested = true;
        State current = state;
        if (current.stamp() == null || !current.stamp().equals(stampOrNull())) {
            current = refresh();
        }
        if (current.serving() != null) {
            return current.serving();
        }
        throw new TransformException(current.failure().getMessage(), current.failure().getCause());
    }

    /** The periodic look: {@link #refresh()} once the file has looked the same on two checks in a row. */
    synchronized void check() {
        FileStamp now = stampOrNull();
        boolean heldStill = checkedOnce && Objects.equals(now, checkedStamp);
        checkedStamp = now;
        checkedOnce = true;
        if (heldStill && (now == null || !now.equals(state.stamp()))) {
            refresh();
        }
    }

    /** Reads and loads the file if it changed since it was last read; once per change, whoever notices first. */
    synchronized State refresh() {
        State old = state;
        FileStamp stamp;
        String text;
        try {
            stamp = FileStamp.of(file); // taken before reading: a write racing the read shows as a change next time
            if (stamp.equals(old.stamp())) {
                return old;
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            // A deleted script is not kept: the route still names it, so its events fail visibly rather than run a
            // version nobody can see any more.
            return update(new State(null, null,
                    requested ? "not found in " + file.getParent() + "; its events fail until the file is back" : null,
                    new TransformException("transform script " + name + " not found in " + file.getParent())));
        } catch (IOException e) {
            return update(old.serving() != null
                    ? new State(null, old.serving(), "cannot be read (" + e + "); still running the previous version", null)
                    : new State(null, null, "cannot be read (" + e + ")",
                            new TransformException("transform script " + name + " cannot be read: " + e.getMessage())));
        }
        try {
            Source source = Source.newBuilder("js", text, name).buildLiteral();
            return update(new State(stamp, ScriptVersion.load(source, sandbox), null, null));
        } catch (ScriptLoadException e) {
            return update(old.serving() != null
                    ? new State(stamp, old.serving(), "the edit " + e.problem() + "; still running the previous version", null)
                    : new State(stamp, null, "the script " + e.problem() + "; its events fail until it is fixed", e));
        }
    }

    private State update(State next) {
        State old = state;
        state = next;
        if (old.serving() != null && old.serving() != next.serving()) {
            old.serving().close(); // its busy contexts close when their events are done
        }
        if (next.problem() != null && !next.problem().equals(old.problem())) {
            log.warn("transform {}: {}", name, next.problem()); // once per distinct problem, not per event or check
        } else if (next.serving() != old.serving() && next.serving() != null && (old.serving() != null || old.problem() != null)) {
            log.info("transform {}: edit applied", name);
        }
        return next;
    }

    private FileStamp stampOrNull() {
        try {
            return FileStamp.of(file);
        } catch (IOException e) {
            return null;
        }
    }

    String problem() {
        return state.problem();
    }

    boolean isServing() {
        return state.serving() != null;
    }

    @Override
    public synchronized void close() {
        ScriptVersion serving = state.serving();
        if (serving != null) {
            serving.close();
        }
    }
}
