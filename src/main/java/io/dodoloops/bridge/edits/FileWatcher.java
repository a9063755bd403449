package io.dodoloops.bridge.edits;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread, "live-edits", that checks every {@link WatchedDirectory} (routes and transforms) each
 * {@code bridge.live-edits.check-interval}, so an edit applies without a restart. It polls rather than use a
 * WatchService: a stat per file per check is cheap, sees edits on network volumes (where inotify does not), and a
 * change must look the same on two checks anyway before it is read.
 * <p>
 * Not Camel's routes-reload: in 4.17 RouteWatcherReloadStrategy acts on each WatchService event (no quiet period, one
 * save often reloads twice), first removes every route (or, with routes-reload-remove-all-routes=false, never a
 * deleted file's), cannot roll back an edit that builds but fails to start, and hands every file to the routes
 * loader, so it cannot apply .js transforms.
 */
public final class FileWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileWatcher.class);

    private final List<WatchedDirectory> directories = new CopyOnWriteArrayList<>();
    // Our own daemon thread rather than Spring's @Scheduled: tests run it without Spring, and it needs no app-wide
    // @EnableScheduling.
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "live-edits");
        thread.setDaemon(true);
        return thread;
    });

    public FileWatcher(Duration checkInterval) {
        long millis = checkInterval.toMillis();
        checker.scheduleWithFixedDelay(this::checkAll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Checks the directory from the next interval on, until it is closed. */
    public void watch(WatchedDirectory directory) {
        directories.add(directory);
        log.info("Watching {} for edits", directory);
    }

    private void checkAll() {
        directories.removeIf(WatchedDirectory::isClosed);
        for (WatchedDirectory directory : directories) {
            try {
                directory.check();
            } catch (RuntimeException e) {
                log.error("Checking {} for edits failed", directory, e);
            }
        }
    }

    /** Stops the thread once a check under way (it may be loading a script) is done. */
    @Override
    public void close() {
        checker.shutdown();
        try {
            checker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
