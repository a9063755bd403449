package io.dodoloops.bridge.loops;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
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
 * LOOPS_RATE_LIMIT, the one place it is kept: every request of the Loops client waits here for its turn at the moment
 * it goes on the wire (a request with a body as its body is written, after the connection is ready and the headers
 * are buffered). Not Camel's throttle: it releases requests at the rate, but consumers send in parallel, and a send
 * that stalls after its release (a fresh bridge still compiling, a collector pause) reached Loops together with the
 * next ones: 12-13 in one second at 10/s, measured. Loops counts arrivals.
 * <p>
 * Two rules, both with 5 % headroom for network jitter: turns are at least 1.05/rate s apart, and a request also waits
 * until the oldest of the last {@code rate} requests written is more than a second old (measured after its write and
 * flush), so a request that stalled between its turn and its write cannot put one too many into a second.
 */
final class LoopsRateLimit implements ExecChainHandler {

    private static final long SECOND_WITH_HEADROOM_NANOS = TimeUnit.MILLISECONDS.toNanos(1050);
    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1020); // a second and a little jitter
    private static final long NONE = Long.MIN_VALUE; // not 0: System.nanoTime() may be anything, negative too

    private final long intervalNanos;
    private long nextTurn = System.nanoTime(); // guarded by this
    // When the last perSecond requests were written, oldest first once full; NONE = not yet. Guarded by this.
    private final long[] written;
    private int oldest;

    LoopsRateLimit(int perSecond) {
        this.intervalNanos = (SECOND_WITH_HEADROOM_NANOS + perSecond - 1) / perSecond;
        this.written = new long[perSecond];
        Arrays.fill(written, NONE);
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        HttpEntity body = request.getEntity();
        if (body == null) { // a read (the preflight's GETs): it goes out as soon as the request line is written
            awaitTurn();
            recordWritten(System.nanoTime());
        } else if (!(body instanceof OnItsTurn)) {
            request.setEntity(new OnItsTurn(body));
        }
        return chain.proceed(request, scope);
    }

    private final class OnItsTurn extends HttpEntityWrapper {
        OnItsTurn(HttpEntity body) {
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
        return first == NONE ? NONE : first + WINDOW_NANOS;
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
