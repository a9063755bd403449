package io.dodoloops.bridge.loops;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;

/**
 * Keeps Loops requests a minimum interval apart at the moment they go on the wire, inside the HTTP client after the
 * connection is ready. The route's throttle releases requests at the rate, but the consumers send in parallel: a
 * send that stalls after its release (the first requests of a fresh bridge, a collector pause) would otherwise reach
 * Loops together with the next ones, and Loops counts arrivals. Written here because Camel's throttle cannot see
 * past its own release.
 */
final class SendSpacing implements ExecChainHandler {

    private final long intervalNanos;
    private long nextSlot = System.nanoTime(); // guarded by this

    SendSpacing(long intervalMicros) {
        this.intervalNanos = TimeUnit.MICROSECONDS.toNanos(intervalMicros);
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        awaitSlot(reserveSlot());
        return chain.proceed(request, scope);
    }

    /** The next free moment, at least one interval after the previous request's; time not used is not saved up. */
    synchronized long reserveSlot() {
        long slot = Math.max(System.nanoTime(), nextSlot);
        nextSlot = slot + intervalNanos;
        return slot;
    }

    private static void awaitSlot(long slot) throws InterruptedIOException {
        for (long wait; (wait = slot - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the Loops rate limit");
            }
        }
    }
}
