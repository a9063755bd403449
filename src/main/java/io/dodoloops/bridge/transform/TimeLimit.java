package io.dodoloops.bridge.transform;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.graalvm.polyglot.Context;

/**
 * {@code bridge.transforms.time-limit}: a script run (a call, or loading the script) that takes longer is cancelled by
 * closing its context. The statement limit cannot stop everything: a regex that backtracks or a huge
 * {@code Array.fill} runs for minutes in a few statements.
 * <p>
 * One daemon thread looks at the running contexts a few times per limit, so a call only writes its deadline and
 * clears it (no timer task per call: the JS transforms take ~22 µs); a call is cancelled within one tick of its
 * deadline.
 */
final class TimeLimit implements AutoCloseable {

    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Duration limit;
    private final long limitNanos;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "transform-time-limit");
        thread.setDaemon(true);
        return thread;
    });

    TimeLimit(Duration limit) {
        this.limit = limit;
        this.limitNanos = limit.toNanos();
        long tick = Math.max(MIN_TICK_NANOS, Math.min(MAX_TICK_NANOS, limitNanos / 20));
        ticker.scheduleWithFixedDelay(this::cancelOverdue, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** The limit as configured, for failure messages: {@code 2s}, {@code 300ms}. */
    String shown() {
        long millis = limit.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** Starts watching a context; {@link Watch#close()} when the context is closed. */
    Watch watch(Context context) {
        Watch watch = new Watch(context);
        watches.add(watch);
        return watch;
    }

    private void cancelOverdue() {
        long now = System.nanoTime();
        for (Watch watch : watches) {
            watch.cancelIfOverdue(now);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }

    /** The deadline of the one run at a time in one context. */
    final class Watch implements AutoCloseable {

        private static final long IDLE = Long.MIN_VALUE;
        private static final long CANCELLED = Long.MIN_VALUE + 1;

        private final Context context;
        // IDLE, the running call's deadline (System.nanoTime), or CANCELLED once the ticker has closed the context.
        private final AtomicLong deadline = new AtomicLong(IDLE);

        private Watch(Context context) {
            this.context = context;
        }

        void start() {
            deadline.set(System.nanoTime() + limitNanos);
        }

        /** Ends the run; true if it was cancelled for running over the limit (the context is then closed). */
        boolean stop() {
            return deadline.getAndSet(IDLE) == CANCELLED;
        }

        private void cancelIfOverdue(long now) {
            long due = deadline.get();
            // The compare-and-set fails if the run ended meanwhile; a later run of the context has a later deadline.
            if (due != IDLE && due != CANCELLED && now - due > 0 && deadline.compareAndSet(due, CANCELLED)) {
                try {
                    context.close(true);
                } catch (RuntimeException alreadyClosed) {
                    // closed with the engine at shutdown
                }
            }
        }

        @Override
        public void close() {
            watches.remove(this);
        }
    }
}
