package io.dodoloops.bridge.admin;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.delivery.DeadLetters;
import io.dodoloops.bridge.delivery.DeliveryLog;
import io.dodoloops.bridge.ingress.ReadEnvelope;
import io.dodoloops.bridge.ingress.WebhookRejectedException;
import io.dodoloops.bridge.loops.LoopsMode;
import io.dodoloops.bridge.loops.LoopsRequest;
import io.dodoloops.bridge.loops.PrepareLoopsCall;
import io.dodoloops.bridge.queue.WebhookHeaders;

/**
 * "What would this webhook send?": the body goes through the ingress checks and the real transform route
 * (routes/transform.yaml), and the answer is the Loops request, or why nothing would be sent. Nothing is stored,
 * sent, counted or logged as a delivery.
 */
@Component
public class DryRun {

    static final String TRANSFORM = "direct://transform";

    /** The transform route is not running (the bridge is starting, stopping, or the route was stopped). */
    public static final class NotReadyException extends RuntimeException {
        NotReadyException() {
            super("not ready: the routes have not started");
        }
    }

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final ReadEnvelope readEnvelope;
    private final LoopsMode loops;
    private final String baseUrl;

    public DryRun(CamelContext camel, ProducerTemplate producer, ReadEnvelope readEnvelope, LoopsMode loops) {
        this.camel = camel;
        this.producer = producer;
        this.readEnvelope = readEnvelope;
        this.loops = loops;
        this.baseUrl = loops.baseUrl();
    }

    /** @param webhookId the id to derive the Idempotency-Key from; a placeholder when null */
    public Map<String, Object> run(byte[] body, String webhookId) {
        // Otherwise "no consumer on direct:transform" would come back as a transform failure: a false "dead-letter".
        if (!transformRouteStarted()) {
            throw new NotReadyException();
        }
        String id = webhookId == null || webhookId.isBlank() ? "dry-run" : webhookId;
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(WebhookHeaders.WEBHOOK_ID, id);
        Map<String, Object> answer = new LinkedHashMap<>();
        try {
            readEnvelope.process(exchange);
        } catch (WebhookRejectedException refused) {
            answer.put("outcome", "refused");
            answer.put("status", refused.status());
            answer.put("reason", refused.getMessage());
            return answer;
        }
        answer.put("eventType", exchange.getMessage().getHeader(WebhookHeaders.EVENT_TYPE));
        Exchange done = producer.send("direct:transform", exchange);
        if (done.getException() != null) {
            answer.put("outcome", "dead-letter");
            answer.put("reason", DeadLetters.reason(done.getException()));
        } else if (done.getMessage().getBody() instanceof LoopsRequest request) {
            answer.put("outcome", loops.localMode() ? "outbox" : "send");
            Map<String, Object> http = request.asHttpRequest(baseUrl, PrepareLoopsCall.idempotencyKey(done.getMessage()));
            @SuppressWarnings("unchecked")
            Map<String, String> headers = (Map<String, String>) http.get("headers");
            headers.put("Authorization", loops.localMode() ? "(none: local mode)" : "Bearer ****");
            answer.put("request", http);
        } else {
            answer.put("outcome", "ignored");
            answer.put("reason", done.getProperty(DeliveryLog.IGNORED_BECAUSE, "the transform cancelled it", String.class));
        }
        return answer;
    }

    private boolean transformRouteStarted() {
        return camel.getStatus().isStarted() && camel.getRoutes().stream()
                .filter(route -> TRANSFORM.equals(route.getEndpoint().getEndpointUri()))
                .anyMatch(route -> camel.getRouteController().getRouteStatus(route.getId()).isStarted());
    }
}
