package io.dodoloops.bridge.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.metrics.BridgeCounters;
import io.dodoloops.bridge.queue.WebhookHeaders;

/** The JSON answers Dodo (or anyone else) gets from the webhook endpoint. */
@Component("ingressResponses")
public class IngressResponses {

    private static final Logger LOG = LoggerFactory.getLogger(IngressResponses.class);
    static final String RETRY_AFTER_SECONDS = "5";
    private final ObjectMapper json = new ObjectMapper();
    private final BridgeCounters counters;

    public IngressResponses(BridgeCounters counters) {
        this.counters = counters;
    }

    /** 202 once the broker holds the webhook. */
    public void accepted(Exchange exchange) {
        String id = exchange.getMessage().getHeader(WebhookHeaders.WEBHOOK_ID, String.class);
        // The outcome line comes from delivery; this one is for tracing a webhook through ingress.
        LOG.debug("Accepted {} webhook {}", exchange.getMessage().getHeader(WebhookHeaders.EVENT_TYPE), id);
        counters.received();
        counters.accepted();
        respond(exchange, 202, new Accepted("accepted", id));
    }

    /** 202 as well: Dodo is retrying a webhook the broker already holds, so it must stop retrying. */
    public void duplicate(Exchange exchange) {
        String id = exchange.getMessage().getHeader(WebhookHeaders.WEBHOOK_ID, String.class);
        LOG.info("Duplicate {} webhook {}: already stored, not stored again", exchange.getMessage().getHeader(WebhookHeaders.EVENT_TYPE), id);
        counters.received();
        counters.duplicate();
        respond(exchange, 202, new Accepted("duplicate", id));
    }

    /** The status and reason of a {@link WebhookRejectedException}. */
    public void rejected(Exchange exchange) {
        WebhookRejectedException rejection = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, WebhookRejectedException.class);
        LOG.warn("Rejected webhook request with {}: {}", rejection.status(), rejection.getMessage());
        counters.received();
        counters.rejected(rejection.kind());
        if (rejection.status() == 405) {
            exchange.getMessage().setHeader("Allow", "POST");
        }
        respond(exchange, rejection.status(), new Refused(rejection.getMessage()));
    }

    /**
     * Anything else (typically the broker unreachable, or failing over to its backup mid-send): 503, so Dodo retries.
     * The webhook may have been stored all the same (the broker's answer was lost); the retry is then a duplicate.
     */
    public void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        // The broker's own reason (e.g. AMQ219016, failing over) is at the bottom of Spring's and Camel's wrappers.
        LOG.error("Could not store webhook {}: {}", exchange.getMessage().getHeader(WebhookHeaders.WEBHOOK_ID),
                NestedExceptionUtils.getMostSpecificCause(cause).toString());
        counters.received();
        respond(exchange, 503, new Refused("the webhook could not be stored; retry later"));
        // A broker pair fails over in a second or two; Dodo decides its own schedule, this is a hint.
        exchange.getMessage().setHeader("Retry-After", RETRY_AFTER_SECONDS);
    }

    record Accepted(String status, String webhookId) {
    }

    record Refused(String error) {
    }

    private void respond(Exchange exchange, int status, Object body) {
        var message = exchange.getMessage();
        // Not removeHeaders("*", "Allow"): Camel compiles "Allow" as a regular expression for every header.
        Object allow = message.getHeader("Allow");
        message.getHeaders().clear();
        if (allow != null) {
            message.setHeader("Allow", allow);
        }
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        // With a Content-Length, not chunked: Tomcat then sends the answer in one write, not a second one for the
        // last chunk that the sender waits for.
        message.setHeader(Exchange.HTTP_CHUNKED, false);
        try {
            message.setBody(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
