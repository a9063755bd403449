package io.dodoloops.bridge.welcome;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The welcomed-subscriptions database did not answer (down, unreachable, pool timed out). An I/O failure, so the
 * delivery policy treats it like a Loops outage: retried, then handed back to the broker, never dead-lettered at once
 * (a dead-lettered welcome whose remembering failed would be replayed under a new Idempotency-Key: a second welcome).
 */
public class WelcomeDatabaseUnavailableException extends UncheckedIOException {

    public WelcomeDatabaseUnavailableException(String message, RuntimeException cause) {
        super(message, new IOException(message, cause));
    }

    /** This failure, anywhere in the chain of causes. */
    public static boolean in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WelcomeDatabaseUnavailableException) {
                return true;
            }
        }
        return false;
    }
}
