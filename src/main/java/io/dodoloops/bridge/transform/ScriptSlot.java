package io.dodoloops.bridge.transform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.graalvm.polyglot.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transform file and the version of it that serves events. A new text replaces that version only if it loads,
 * so a broken edit leaves the last good version serving; what is wrong is returned, for the directory to report.
 */
final class ScriptSlot implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JavaScriptTransforms.class);

    /**
     * What the slot knows, replaced whole so that events read it without a lock.
     *
     * @param text    the text last loaded or refused; null when the file was missing or unreadable
     * @param serving the last version that loaded, or null
     * @param problem what is wrong with the file, or null
     * @param failure why events fail while nothing is serving
     */
    private record State(String text, ScriptVersion serving, String problem, TransformException failure) {
    }

    private static final State UNREAD = new State(null, null, null, null);

    private final String name;
    private final Path file;
    private final JsSandbox sandbox;
    private final Consumer<String> firstReadProblem;
    private volatile State state = UNREAD;
    // Asked for by an event, i.e. named by a route: only then is a missing file a problem, not just a removed one.
    private volatile boolean requested;

    /** @param firstReadProblem told what is wrong (or null) when the first event, not the watcher, reads the file */
    ScriptSlot(String name, Path file, JsSandbox sandbox, Consumer<String> firstReadProblem) {
        this.name = name;
        this.file = file;
        this.sandbox = sandbox;
        this.firstReadProblem = firstReadProblem;
    }

    /**
     * The version for an event. The file is read here only if nothing has read it yet (an event before the watcher's
     * first look, or code that runs without a watcher); after that, edits come in through {@link #load}.
     */
    ScriptVersion serve() {
        requested = true;
        State current = state;
        if (current == UNREAD) {
            current = readFirst();
        }
        if (current.serving() != null) {
            return current.serving();
        }
        throw new TransformException(current.failure().getMessage(), current.failure().getCause());
    }

    private synchronized State readFirst() {
        if (state == UNREAD) {
            firstReadProblem.accept(read()); // under the lock: a load by the watcher reports after this
        }
        return state;
    }

    private String read() {
        try {
            return load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return deleted();
        } catch (IOException e) {
            return update(new State(null, null, "cannot be read (" + e + ")",
                    new TransformException("transform script " + name + " cannot be read: " + e.getMessage())));
        }
    }

    /** Serves this text from now on if it loads: what is wrong with it, or null. The text already loaded is a no-op. */
    synchronized String load(String text) {
        State old = state;
        if (text.equals(old.text())) {
            return old.problem();
        }
        try {
            Source source = Source.newBuilder("js", text, name).buildLiteral();
            return update(new State(text, ScriptVersion.load(source, sandbox), null, null));
        } catch (ScriptLoadException e) {
            return update(old.serving() != null
                    ? new State(text, old.serving(), "the edit " + e.problem() + "; still running the previous version", null)
                    : new State(text, null, "the script " + e.problem() + "; its events fail until it is fixed", e));
        }
    }

    /**
     * The file is gone. A script an event asked for (i.e. a route names) fails its events from now on rather than
     * run a version nobody can see any more: that is a problem. Otherwise nothing needs it: null.
     */
    synchronized String deleted() {
        if (!requested) {
            return null;
        }
        return update(new State(null, null, "not found in " + file.getParent() + "; its events fail until the file is back",
                new TransformException("transform script " + name + " not found in " + file.getParent())));
    }

    private String update(State next) {
        State old = state;
        state = next;
        if (old.serving() != null && old.serving() != next.serving()) {
            old.serving().close(); // its busy contexts close when their events are done
        }
        if (next.serving() != old.serving() && next.serving() != null && (old.serving() != null || old.problem() != null)) {
            log.info("transform {}: edit applied", name);
        }
        return next.problem();
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
