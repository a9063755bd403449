package io.dodoloops.bridge.ingress;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonParseException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.metrics.BridgeCounters.Rejection;
import io.dodoloops.bridge.queue.WebhookHeaders;
import io.dodoloops.bridge.transform.DodoEvent;

/** A verified body must still be a Dodo envelope, a JSON object with a {@code type}; its type routes delivery. */
@Component("readEnvelope")
public class ReadEnvelope implements Processor {

    @Override
    public void process(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        JsonNode envelope;
        try {
            envelope = body == null || body.length == 0 ? null : DodoEvent.parseEnvelope(body);
        } catch (JsonParseException e) {
            String detail = e.getOriginalMessage().startsWith("Duplicate field") ? ": " + e.getOriginalMessage() : "";
            throw new WebhookRejectedException(400, Rejection.MALFORMED, "body is not valid JSON" + detail);
        } catch (IOException e) {
            throw new WebhookRejectedException(400, Rejection.MALFORMED, "body is not valid JSON");
        }
        if (envelope == null || !envelope.isObject()) {
            throw new WebhookRejectedException(400, Rejection.MALFORMED, "body is not a JSON object");
        }
        JsonNode type = envelope.get("type");
        if (type == null || !type.isTextual() || type.asText().isBlank()) {
            throw new WebhookRejectedException(400, Rejection.MALFORMED, "body has no event type (\"type\")");
        }
        exchange.getMessage().setHeader(WebhookHeaders.EVENT_TYPE, type.asText());
    }
}
