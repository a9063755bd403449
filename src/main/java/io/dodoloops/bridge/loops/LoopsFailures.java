package io.dodoloops.bridge.loops;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystemException;
import java.time.Duration;

import com.fasterxml.jackson.core.JacksonException;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.delivery.DeliveryProperties;
import io.dodoloops.bridge.queue.WebhookHeaders;
import io.dodoloops.bridge.transform.TransformException;

/**
 * Which delivery failures are worth retrying: Loops rate limiting (429), Loops errors (5xx), timeouts and
 * connection failures. Everything else (400, 401, 404, a broken transform, a body that is not JSON) would fail the
 * same way again, so it is dead-lettered at its first delivery.
 */
@Component("loopsFailures")
public class LoopsFailures {

    private final Duration giveUpAfter;

    public LoopsFailures(DeliveryProperties delivery) {
        this.giveUpAfter = delivery.giveUpAfter();
    }

    // Only the network is transient: Loops' 429/5xx or an I/O failure of the call, i.e. any IOException but the
    // deterministic kinds (JSON, files, charsets) and nothing a transform or the request check raised.
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http.getStatusCode() == 429 || http.getStatusCode() >= 500;
            }
            if (t instanceof TransformException || t instanceof InvalidLoopsRequestException) {
                return false;
            }
            if (t instanceof IOException) {
                return !(t instanceof JacksonException || t instanceof FileSystemException
                        || t instanceof CharacterCodingException);
            }
        }
        return false;
    }

    /**
     * Loops refused the request, so it sent nothing: a 4xx other than 429 (rate limited) and 408 (timed out
     * waiting for the request), whose outcome is as unknown as a 5xx's.
     */
    public static boolean isRefusal(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    /** The HTTP status of Loops' answer when that answer is the failure; null for timeouts, connection and other failures. */
    public static Integer loopsStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http.getStatusCode();
            }
        }
        return null;
    }

    /** A transient failure that is still worth retrying: the webhook is younger than give-up-after. */
    public boolean shouldRetry(Exchange exchange) {
        return isTransient(failure(exchange)) && !tooOld(exchange);
    }

    /** A transient failure that has gone on for longer than give-up-after. */
    public boolean shouldGiveUp(Exchange exchange) {
        return isTransient(failure(exchange)) && tooOld(exchange);
    }

    private boolean tooOld(Exchange exchange) {
        Long receivedAt = exchange.getMessage().getHeader(WebhookHeaders.RECEIVED_AT, Long.class);
        return receivedAt != null && System.currentTimeMillis() - receivedAt > giveUpAfter.toMillis();
    }

    /** The exception being handled: still on the exchange in an onWhen, moved to a property once handling began. */
    public static Throwable failure(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
