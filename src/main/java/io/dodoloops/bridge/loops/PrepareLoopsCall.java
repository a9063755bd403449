package io.dodoloops.bridge.loops;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.queue.WebhookHeaders;

/** Turns a transform's {@link LoopsRequest} into the HTTP call: JSON body, path, Idempotency-Key (the outbox records it). */
@Component("prepareLoopsCall")
public class PrepareLoopsCall implements Processor {

    /** Exchange property keeping the request for the log line after the call. */
    public static final String REQUEST = "LoopsRequest";
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        LoopsRequest request = message.getMandatoryBody(LoopsRequest.class);
        exchange.setProperty(REQUEST, request);
        message.setHeader(Exchange.HTTP_PATH, request.path());
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("Idempotency-Key", idempotencyKey(message));
        message.setBody(json.writeValueAsString(request.body()));
    }

    /** The key for this webhook, or for its n-th replay after a refusal (the dry run shows the same one). */
    public static String idempotencyKey(Message message) {
        return IdempotencyKey.of(message.getHeader(WebhookHeaders.WEBHOOK_ID, String.class),
                message.getHeader(WebhookHeaders.REPLAY_COUNT, 0, Integer.class));
    }
}
