package io.dodoloops.bridge.ingress;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.metrics.BridgeCounters.Rejection;
import io.dodoloops.bridge.queue.WebhookHeaders;
import io.dodoloops.bridge.signature.SignatureRejectedException;
import io.dodoloops.bridge.signature.SignatureVerifier;

/**
 * Verifies the Standard Webhooks signature over the raw body bytes, before anything parses them, and keeps what
 * the broker will store: the bytes, the three webhook headers and the time of receipt.
 */
@Component("verifySignature")
public class VerifySignature implements Processor {

    private static final int MAX_ID_LENGTH = 255;
    private final SignatureVerifier verifier;

    public VerifySignature(SignatureVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        String id = message.getHeader("webhook-id", String.class);
        String timestamp = message.getHeader("webhook-timestamp", String.class);
        String signature = message.getHeader("webhook-signature", String.class);
        try {
            verifier.verify(id, timestamp, signature, body == null ? new byte[0] : body);
        } catch (SignatureRejectedException e) {
            Rejection kind = e.reason().startsWith("webhook-timestamp") || e.reason().startsWith("missing webhook-timestamp")
                    ? Rejection.TIMESTAMP : Rejection.SIGNATURE;
            throw new WebhookRejectedException(401, kind, e.reason());
        }
        if (id.length() > MAX_ID_LENGTH || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            // It travels on as a broker property, a log field and (hashed if need be) an HTTP header.
            throw new WebhookRejectedException(400, Rejection.MALFORMED,
                    "webhook-id must be 1 to " + MAX_ID_LENGTH + " printable ASCII characters");
        }
        message.setBody(body);
        message.setHeader(WebhookHeaders.WEBHOOK_ID, id);
        message.setHeader(WebhookHeaders.WEBHOOK_TIMESTAMP, timestamp);
        message.setHeader(WebhookHeaders.WEBHOOK_SIGNATURE, signature);
        message.setHeader(WebhookHeaders.RECEIVED_AT, System.currentTimeMillis());
    }
}
