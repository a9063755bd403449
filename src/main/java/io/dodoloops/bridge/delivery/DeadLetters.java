package io.dodoloops.bridge.delivery;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.EmailMask;
import io.dodoloops.bridge.loops.LoopsFailures;
import io.dodoloops.bridge.metrics.BridgeCounters;
import io.dodoloops.bridge.queue.WebhookHeaders;

/**
 * Labels a webhook that cannot be delivered before it goes to the dead-letter queue: the original verified
 * webhook (raw body and webhook headers) plus why and when.
 */
@Component("deadLetters")
public class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_LOOPS_BODY = 500;
    private final BridgeCounters counters;

    public DeadLetters(BridgeCounters counters) {
        this.counters = counters;
    }

    public void label(Exchange exchange) {
        String reason = reason(LoopsFailures.failure(exchange));
        Message message = exchange.getMessage();
        message.setHeader(WebhookHeaders.DEAD_LETTER_REASON, reason);
        message.setHeader(WebhookHeaders.DEAD_LETTER_AT, Instant.now().toString());
        message.setHeader(WebhookHeaders.DEAD_LETTER_DELIVERIES, message.getHeader("JMSXDeliveryCount", 1, Integer.class));
        // Whether Loops refused it decides the key of a replay (ReplayCount); the replay count itself stays on.
        Integer loopsStatus = LoopsFailures.loopsStatus(LoopsFailures.failure(exchange));
        if (loopsStatus != null) {
            message.setHeader(WebhookHeaders.DEAD_LETTER_LOOPS_STATUS, loopsStatus);
        } else {
            message.removeHeader(WebhookHeaders.DEAD_LETTER_LOOPS_STATUS);
        }
        // A dead letter is a new message: a second one for the same webhook must not be dropped as a duplicate.
        message.removeHeader(WebhookHeaders.DUPLICATE_ID);
        counters.deadLettered();
        LOG.warn("Dead-lettered {} webhook {}: {}", message.getHeader(WebhookHeaders.EVENT_TYPE),
                message.getHeader(WebhookHeaders.WEBHOOK_ID), EmailMask.mask(reason));
    }

    public static String reason(Throwable failure) {
        String prefix = LoopsFailures.isTransient(failure) ? "Loops still failing at give-up time: " : "";
        return prefix + describe(failure);
    }

    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                String body = http.getResponseBody() == null ? "" : http.getResponseBody().strip();
                if (body.length() > MAX_LOOPS_BODY) {
                    body = body.substring(0, MAX_LOOPS_BODY) + "...";
                }
                return "Loops answered " + http.getStatusCode() + (body.isEmpty() ? "" : ": " + body);
            }
        }
        if (failure == null) {
            return "unknown failure";
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}
