package io.dodoloops.bridge.admin;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.BytesMessage;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.queue.WebhookHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** Replaying dead letters, many times over, leaves the broker as it found it: no consumer left open on the queue. */
class DeadLetterReplayTest extends BridgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    EmbeddedActiveMQ broker;
    @LocalManagementPort
    int managementPort;

    @Test
    void replaying200DeadLettersLeavesNoConsumerOnTheDeadLetterQueue() throws Exception {
        // An event type without a transform: a replayed webhook is acknowledged without calling Loops.
        String eventType = "replay.test." + UUID.randomUUID();
        for (int i = 0; i < 200; i++) {
            putDeadLetter(newWebhookId(), eventType);
        }

        HttpResponse<String> replayed = ManagementHttp.post(admin("/dead-letters/replay?eventType=" + eventType),
                "X-Bridge-Admin", "1");

        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replayed.body()).get("replayed")).hasSize(200);
        assertThat(deadLetterConsumers()).isZero();
        String later = newWebhookId();
        putDeadLetter(later, eventType);
        JsonNode listed = JSON.readTree(ManagementHttp.get(admin("/dead-letters?eventType=" + eventType)).body());
        assertThat(listed.findValuesAsText("webhookId")).containsExactly(later);
        assertThat(ManagementHttp.post(admin("/dead-letters/" + later + "/replay"), "X-Bridge-Admin", "1").statusCode())
                .isEqualTo(200);
        assertThat(deadLetterConsumers()).isZero();
    }

    @Test
    void replayingDeadLettersThatAreNotThereLeavesNoConsumerEither() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(ManagementHttp.post(admin("/dead-letters/" + newWebhookId() + "/replay"), "X-Bridge-Admin", "1")
                    .statusCode()).isEqualTo(404);
        }

        assertThat(deadLetterConsumers()).isZero();
    }

    /** A dead letter as the delivery route stores it (see error-handling.yaml). */
    private void putDeadLetter(String webhookId, String eventType) {
        jms.send(DLQ, session -> {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(("{\"type\":\"" + eventType + "\",\"data\":{}}").getBytes(StandardCharsets.UTF_8));
            message.setStringProperty(WebhookHeaders.WEBHOOK_ID, webhookId);
            message.setStringProperty(WebhookHeaders.EVENT_TYPE, eventType);
            message.setLongProperty(WebhookHeaders.RECEIVED_AT, System.currentTimeMillis());
            message.setStringProperty(WebhookHeaders.DEAD_LETTER_AT, Instant.now().toString());
            message.setStringProperty(WebhookHeaders.DEAD_LETTER_REASON, "Loops answered 400 (test)");
            message.setIntProperty(WebhookHeaders.DEAD_LETTER_DELIVERIES, 1);
            return message;
        });
    }

    private long deadLetterConsumers() {
        return broker.getActiveMQServer().locateQueue(SimpleString.of(DLQ)).getConsumerCount();
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + "/admin" + path);
    }
}
