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
 */
final class SendSpacing implements ExecChainHandler {

    private final long intervalNanos;
    private long nextTurn = System.nanoTime(); // guarded by this

    SendSpacing(long intervalMicros) {
        this.intervalNanos = TimeUnit.MICROSECONDS.toNanos(intervalMicros);
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
        }
    }

    private void awaitTurn() throws InterruptedIOException {
        long turn = reserveTurn();
        for (long wait; (wait = turn - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the Loops rate limit");
            }
        }
    }

    /** The next free moment, at least one interval after the previous request's; time not used is not saved up. */
    private synchronized long reserveTurn() {
        long turn = Math.max(System.nanoTime(), nextTurn);
        nextTurn = turn + intervalNanos;
        return turn;
    }
}
