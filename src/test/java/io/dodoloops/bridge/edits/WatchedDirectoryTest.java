package io.dodoloops.bridge.edits;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dodoloops.bridge.transform.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a watched directory hands to its handler, check by check: a change once it has settled (looked the same on two
 * checks in a row), whatever way it was saved, and what the handler finds wrong as one problem per file, logged once.
 */
class WatchedDirectoryTest {

    @TempDir
    Path dir;
    private final List<String> handed = new ArrayList<>();
    private WatchedDirectory routes;
    private LogCapture log;

    /** Refuses a text that says "broken", as a route or script with a syntax error would be. */
    private final EditHandler handler = new EditHandler() {
        @Override
        public String apply(Path file, String text) {
            handed.add(file.getFileName() + ": " + text);
            return text.contains("broken") ? "the edit at line 1 does not parse; still running the previous version" : null;
        }

        @Override
        public String deleted(Path file) {
            handed.add(file.getFileName() + " deleted");
            return null;
        }
    };

    @BeforeEach
    void watch() {
        routes = new WatchedDirectory("routes", dir, "*.yaml", handler);
        log = new LogCapture(WatchedDirectory.class);
    }

    @AfterEach
    void stop() {
        log.close();
    }

    @Test
    void aNewFileIsHandedOverOnceItLooksTheSameOnTwoChecks() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "first");

        routes.check();
        assertThat(handed).isEmpty();
        routes.check();
        assertThat(handed).containsExactly("a.yaml: first");
        routes.check();
        assertThat(handed).containsExactly("a.yaml: first");
    }

    @Test
    void aFileStillBeingWrittenIsNotReadHalfWritten() throws IOException {
        Path file = settled("a.yaml", "first");

        Files.writeString(file, "second, half"); // a check sees it mid-write
        routes.check();
        Files.writeString(file, " and the rest", StandardOpenOption.APPEND);
        routes.check();
        assertThat(handed).containsExactly("a.yaml: first");

        routes.check();
        assertThat(handed).containsExactly("a.yaml: first", "a.yaml: second, half and the rest");
    }

    @Test
    void aSaveByRenameIsSeenEvenWithTheSameSizeAndTime() throws IOException {
        Path file = settled("a.yaml", "first");
        Path temporary = Files.writeString(dir.resolve(".a.yaml.swp"), "fresh"); // same size as "first"
        Files.setLastModifiedTime(temporary, Files.getLastModifiedTime(file));

        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        routes.check();
        routes.check();

        assertThat(handed).containsExactly("a.yaml: first", "a.yaml: fresh");
    }

    @Test
    void filesNotMatchingThePatternAreIgnored() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "not a route");
        Files.writeString(dir.resolve("a.yaml.saving"), "an editor's temporary file");

        routes.check();
        routes.check();

        assertThat(handed).isEmpty();
    }

    @Test
    void aDeletedFileIsHandedOverOnce() throws IOException {
        Path file = settled("a.yaml", "first");

        Files.delete(file);
        checks(4);

        assertThat(handed).containsExactly("a.yaml: first", "a.yaml deleted");
    }

    @Test
    void aFileTheHandlerReadItselfIsWatchedFromThenOnSoItsDeletionIsHandedOverOnce() throws IOException {
        Path seenOnce = Files.writeString(dir.resolve("a.yaml"), "first");
        routes.report("a.yaml", null); // read at its first use
        routes.check(); // one look: not settled yet
        Path neverSeen = Files.writeString(dir.resolve("b.yaml"), "first");
        routes.report("b.yaml", null); // read at its first use, and gone before any check

        Files.delete(seenOnce);
        Files.delete(neverSeen);
        checks(6);

        assertThat(handed).containsExactlyInAnyOrder("a.yaml deleted", "b.yaml deleted");
    }

    @Test
    void aRefusedEditIsAProblemNamedByDirectoryAndFileLoggedOnceUntilFixed() throws IOException {
        Path file = settled("a.yaml", "first");

        Files.writeString(file, "broken");
        checks(4);
        routes.report("a.yaml", "the edit at line 1 does not parse; still running the previous version"); // found again

        assertThat(routes.problems()).containsExactly(Map.entry("routes/a.yaml",
                "the edit at line 1 does not parse; still running the previous version"));
        assertThat(log.warnings()).containsExactly(
                "routes/a.yaml: the edit at line 1 does not parse; still running the previous version");

        Files.writeString(file, "fixed");
        routes.check();
        routes.check();
        assertThat(routes.problems()).isEmpty();
    }

    @Test
    void aHandlerThatFailsIsAProblemOfThatFileOnly() throws IOException {
        WatchedDirectory failing = new WatchedDirectory("routes", dir, "*.yaml", new EditHandler() {
            @Override
            public String apply(Path file, String text) {
                if (text.equals("explodes")) {
                    throw new IllegalStateException("boom");
                }
                handed.add(file.getFileName() + ": " + text);
                return null;
            }

            @Override
            public String deleted(Path file) {
                return null;
            }
        });
        Files.writeString(dir.resolve("a.yaml"), "explodes");
        Files.writeString(dir.resolve("b.yaml"), "fine");

        failing.check();
        failing.check();

        assertThat(failing.problems()).containsOnlyKeys("routes/a.yaml");
        assertThat(failing.problems().get("routes/a.yaml")).contains("boom");
        assertThat(handed).containsExactly("b.yaml: fine");
    }

    @Test
    void aClosedDirectoryHandsNothingOver() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "first");
        routes.check();

        routes.close();
        routes.check();

        assertThat(handed).isEmpty();
    }

    /** Writes a file and checks until the directory has handed it over. */
    /** As many looks of the watcher's thread, one after another. */
    private void checks(int times) {
        for (int i = 0; i < times; i++) {
            routes.check();
        }
    }

    private Path settled(String name, String text) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text);
        routes.check();
        routes.check();
        assertThat(handed).last().isEqualTo(name + ": " + text);
        return file;
    }
}
