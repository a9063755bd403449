package io.dodoloops.bridge.loops;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * Keeps Loops requests a minimum interval apart at the moment they go on the wire: each one waits for its turn as
 * its body is written, after the connection is ready and the request line and headers are buffered, so nothing but a
 * buffer copy and the socket write is left. The route's throttle releases requests at the rate, but the consumers
 * send in parallel, and a send that stalls after its release (the first requests of a fresh bridge while ingress
 * takes the CPU, a collector pause) would otherwise reach Loops together with the next ones; Loops counts arrivals.
 * Written here because Camel's throttle cannot see past its own release.
 * <p>
 * A turn is not enough when the sending thread stalls between its turn and the write (two cores shared with ingress):
 * that request leaves late and the next ones on time. So each request also waits until the oldest of the last
 * {@code perSecond} requests actually written is more than a second old, measured after its write and flush.
 */
final class SendSpacing implements ExecChainHandler {

    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1020); // a second and a little jitter

    private final long intervalNanos;
    private long nextTurn = System.nanoTime(); // guarded by this
    // When the last perSecond requests were written, oldest first once full; 0 = none yet. Guarded by this.
    private final long[] written;
    private int oldest;

    SendSpacing(long intervalMicros, int perSecond) {
        this.intervalNanos = TimeUnit.MICROSECONDS.toNanos(intervalMicros);
        this.written = new long[Math.max(1, perSecond)];
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        HttpEntity body = request.getEntity();
        if (body == null) {
            awaitTurn();
        } else if (!(body instanceof Spaced)) {
            request.setEntity(new Spaced(body));
        }
        return chain.proceed(request, scope);
    }

    private final class Spaced extends HttpEntityWrapper {
        Spaced(HttpEntity body) {
            super(body);
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            awaitTurn();
            super.writeTo(out);
            out.flush();
            recordWritten(System.nanoTime());
        }
    }

    private void awaitTurn() throws InterruptedIOException {
        long turn = reserveTurn();
        for (long wait; (wait = Math.max(turn, windowOpens()) - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the Loops rate limit");
            }
        }
    }

    /** When one more request fits: a second after the oldest of the last perSecond written (now, if fewer). */
    private synchronized long windowOpens() {
        long first = written[oldest];
        return first == 0 ? 0 : first + WINDOW_NANOS;
    }

    private synchronized void recordWritten(long at) {
        written[oldest] = at;
        oldest = (oldest + 1) % written.length;
    }

    /** The next free moment, at least one interval after the previous request's; time not used is not saved up. */
    private synchronized long reserveTurn() {
        long turn = Math.max(System.nanoTime(), nextTurn);
        nextTurn = turn + intervalNanos;
        return turn;
    }
}
