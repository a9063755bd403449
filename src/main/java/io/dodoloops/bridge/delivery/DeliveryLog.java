package io.dodoloops.bridge.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.dodoloops.bridge.EmailMask;
import io.dodoloops.bridge.loops.LoopsFailures;
import io.dodoloops.bridge.metrics.BridgeCounters;
import io.dodoloops.bridge.loops.LoopsRequest;
import io.dodoloops.bridge.loops.PrepareLoopsCall;
import io.dodoloops.bridge.queue.WebhookHeaders;
import io.dodoloops.bridge.welcome.WelcomeDatabaseUnavailableException;

/** One line per webhook outcome, with the customer's email masked. */
@Component("deliveryLog")
public class DeliveryLog {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryLog.class);
    /** Set by routes/transform.yaml when no transform handles the event type. */
    public static final String IGNORED_BECAUSE = "IgnoredBecause";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_LOOPS_BODY = 500;
    private final BridgeCounters counters;

    public DeliveryLog(BridgeCounters counters) {
        this.counters = counters;
    }

    public void sent(Exchange exchange) {
        Message message = exchange.getMessage();
        LoopsRequest request = exchange.getProperty(PrepareLoopsCall.REQUEST, LoopsRequest.class);
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String outcome = status == null ? "recorded in the local outbox"
                : status == 409 ? "already sent earlier (Loops 409 on our Idempotency-Key)"
                : "sent to Loops (" + status + ")";
        LOG.info("{} webhook {} -> {} for {}: {}", type(message), id(message), request.body().get("eventName"),
                EmailMask.mask(request.recipient()), outcome);
        if (status != null && status == 409 && firstAttempt(message)) {
            // No earlier request of ours used this key: another sender shares the key space, or Loops kept the key
            // of a request it refused, and this email may never have gone out. (Also after a crash mid-call: the
            // embedded broker does not persist the delivery count before delivering, so the redelivery counts 1.)
            counters.conflictOnFirstAttempt();
            LOG.warn("{} webhook {}: Loops answered 409 on the first attempt with Idempotency-Key {}: Loops already had "
                            + "that key from something else (or the bridge crashed during this call); counted as sent, check "
                            + "in Loops that the email went out. Loops said: {}",
                    type(message), id(message), message.getHeader("Idempotency-Key"), EmailMask.mask(loopsMessage(message)));
        }
        Long receivedAt = message.getHeader(WebhookHeaders.RECEIVED_AT, Long.class);
        counters.delivered(receivedAt == null ? null : Duration.ofMillis(System.currentTimeMillis() - receivedAt));
    }

    /** The broker's first delivery, not a replay, and no in-route retry before this answer. */
    private static boolean firstAttempt(Message message) {
        return message.getHeader("JMSXDeliveryCount", 1, Integer.class) == 1
                && message.getHeader(WebhookHeaders.REPLAYED_AT) == null
                && !message.getHeader(Exchange.REDELIVERED, false, Boolean.class);
    }

    /** Loops' {@code message} from the answer in the body (okStatusCodeRange lets a 409 through as a response). */
    private static String loopsMessage(Message message) {
        String body = message.getBody(String.class);
        if (body == null || body.isBlank()) {
            return "(no body)";
        }
        try {
            JsonNode said = JSON.readTree(body).path("message");
            if (said.isTextual()) {
                return said.asText();
            }
        } catch (IOException notJson) {
            // the answer as it came
        }
        return body.length() > MAX_LOOPS_BODY ? body.substring(0, MAX_LOOPS_BODY) + "..." : body;
    }

    /** Acknowledged without sending: no transform for the event type, or the transform cancelled it. */
    public void ignored(Exchange exchange) {
        Message message = exchange.getMessage();
        String because = exchange.getProperty(IGNORED_BECAUSE, "the transform cancelled it", String.class);
        LOG.info("{} webhook {}: {}, acknowledged without sending", type(message), id(message), because);
        counters.ignored(String.valueOf(type(message)));
    }

    /**
     * A transient failure of Loops (or of the welcomed-subscriptions database) outlasted the in-route retries: the
     * broker will redeliver the webhook later.
     */
    public void handedBack(Exchange exchange) {
        Message message = exchange.getMessage();
        Throwable failure = LoopsFailures.failure(exchange);
        LOG.warn("{} webhook {}: {} still unavailable after {} attempts ({}); back to the broker for a later redelivery "
                        + "(delivery #{} of this webhook)", type(message), id(message),
                WelcomeDatabaseUnavailableException.in(failure) ? "the welcomed-subscriptions database" : "Loops",
                message.getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1,
                EmailMask.mask(String.valueOf(failure == null ? null : NestedExceptionUtils.getMostSpecificCause(failure))), message.getHeader("JMSXDeliveryCount"));
    }

    private static Object type(Message message) {
        return message.getHeader(WebhookHeaders.EVENT_TYPE);
    }

    private static Object id(Message message) {
        return message.getHeader(WebhookHeaders.WEBHOOK_ID);
    }
}
