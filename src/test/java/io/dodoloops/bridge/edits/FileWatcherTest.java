package io.dodoloops.bridge.edits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one watcher: every registered directory, checked on one thread, "live-edits", each check-interval. */
class FileWatcherTest {

    @TempDir
    Path routes;
    @TempDir
    Path transforms;
    private final List<String> handed = new CopyOnWriteArrayList<>();

    @Test
    void checksEveryWatchedDirectoryOnOneThread() throws IOException {
        Files.writeString(routes.resolve("a.yaml"), "route");
        Files.writeString(transforms.resolve("a.js"), "script");

        try (FileWatcher watcher = new FileWatcher(Duration.ofMillis(50))) {
            watcher.watch(new WatchedDirectory("routes", routes, "*.yaml", recording()));
            watcher.watch(new WatchedDirectory("transforms", transforms, "*.js", recording()));

            await().atMost(Duration.ofSeconds(2)).until(() -> handed.size() == 2);
        }
        assertThat(handed).containsExactlyInAnyOrder("a.yaml on live-edits", "a.js on live-edits");
    }

    @Test
    void aClosedDirectoryIsNotCheckedAnyMore() throws Exception {
        try (FileWatcher watcher = new FileWatcher(Duration.ofMillis(50))) {
            WatchedDirectory directory = new WatchedDirectory("routes", routes, "*.yaml", recording());
            watcher.watch(directory);
            directory.close();

            Files.writeString(routes.resolve("a.yaml"), "route");
            Thread.sleep(300);
        }
        assertThat(handed).isEmpty();
    }

    private EditHandler recording() {
        return new EditHandler() {
            @Override
            public String apply(Path file, String text) {
                handed.add(file.getFileName() + " on " + Thread.currentThread().getName());
                return null;
            }

            @Override
            public String deleted(Path file) {
                return null;
            }
        };
    }
}
