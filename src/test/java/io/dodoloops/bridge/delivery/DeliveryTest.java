package io.dodoloops.bridge.delivery;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.LoopsStandIn;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryTest extends BridgeTest {

    @Test
    void aSignedPaymentSucceededBecomesOnePaymentConfirmationEventInLoops() {
        String id = newWebhookId();

        assertThat(deliverSample(id, "payment.succeeded").statusCode()).isEqualTo(202);

        List<LoopsStandIn.Request> requests = awaitLoopsRequests(id, 1);
        LoopsStandIn.Request request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/events/send");
        assertThat(request.header("Authorization")).isEqualTo("Bearer test-loops-key");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("Idempotency-Key")).isEqualTo("dodo-" + id);
        assertThat(request.header("DodoWebhookSignature")).isNull();
        assertThat(request.json().get("eventName").asText()).isEqualTo("payment_confirmation");
        assertThat(request.json().get("email").asText()).isEqualTo("test@acme.com");
        assertThat(request.json().at("/eventProperties/amount").asText()).isEqualTo("4.00");
    }
}
