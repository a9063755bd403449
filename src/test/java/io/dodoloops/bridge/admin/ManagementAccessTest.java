package io.dodoloops.bridge.admin;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import jakarta.jms.BytesMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalManagementPort;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.admin.ManagementHttp.Answer;
import io.dodoloops.bridge.queue.WebhookHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loopback management port is safe from a browser: a page on another site can neither change state (no
 * preflight is ever approved, and state changes need a custom header) nor read answers through DNS rebinding (the
 * Host header must name the loopback address).
 */
class ManagementAccessTest extends BridgeTest {

    @LocalManagementPort
    int managementPort;

    @Test
    void aCrossSiteStylePostWithoutTheAdminHeaderIsRefusedAndReplaysNothing() throws Exception {
        String id = newWebhookId();
        putDeadLetter(id);
        // What a form or a no-preflight fetch on http://evil.example can send: simple headers only.
        Map<String, String> crossSite = Map.of("Host", "127.0.0.1:" + managementPort, "Origin", "http://evil.example",
                "Content-Type", "text/plain");

        for (String path : new String[] {"/admin/dead-letters/" + id + "/replay", "/admin/dead-letters/replay", "/admin/dry-run"}) {
            Answer answer = ManagementHttp.raw(managementPort, "POST", path, crossSite);
            assertThat(answer.status()).as(path).isEqualTo(403);
            assertThat(answer.headers().get("content-type")).startsWith("application/json");
            assertThat(answer.body()).as(path).isEqualTo("{\"error\":\"a request that changes state needs the header "
                    + "X-Bridge-Admin: 1 (a browser page cannot send it from another site)\"}");
        }

        assertThat(deadLetter(id)).as("still dead-lettered").isNotNull();
    }

    @Test
    void thePreflightABrowserNeedsToSendTheAdminHeaderIsNeverApproved() throws Exception {
        Answer preflight = ManagementHttp.raw(managementPort, "OPTIONS", "/admin/dead-letters/replay", Map.of(
                "Host", "127.0.0.1:" + managementPort, "Origin", "http://evil.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-bridge-admin"));

        assertThat(preflight.headers()).doesNotContainKeys("access-control-allow-origin", "access-control-allow-headers");
    }

    @Test
    void withTheAdminHeaderAPostIsServed() throws Exception {
        Answer answer = ManagementHttp.raw(managementPort, "POST", "/admin/dead-letters/" + newWebhookId() + "/replay",
                Map.of("Host", "localhost:" + managementPort, "X-Bridge-Admin", "1"));

        assertThat(answer.status()).isEqualTo(404); // served: there is just no such dead letter
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"evil.example:PORT", "evil.example", "127.0.0.1:1", "localhost", "localhost.evil.example:PORT",
            "127.0.0.2:PORT", "[::2]:PORT"})
    void aRequestNamingAnotherHostIsRefusedOnAdminAndActuatorAlike(String host) throws Exception {
        String hostHeader = host.replace("PORT", String.valueOf(managementPort));
        for (String path : new String[] {"/admin/dead-letters", "/actuator/health", "/actuator/prometheus"}) {
            Answer answer = ManagementHttp.raw(managementPort, "GET", path, Map.of("Host", hostHeader));
            assertThat(answer.status()).as(path).isEqualTo(403);
            assertThat(answer.body()).as(path).isEqualTo("{\"error\":\"the Host header must name the management address: "
                    + "127.0.0.1:" + managementPort + ", localhost:" + managementPort + " or [::1]:" + managementPort + "\"}");
        }
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"127.0.0.1:PORT", "localhost:PORT", "LocalHost:PORT", "[::1]:PORT"})
    void aRequestNamingTheLoopbackAddressAndPortIsServed(String host) throws Exception {
        Map<String, String> headers = Map.of("Host", host.replace("PORT", String.valueOf(managementPort)));

        assertThat(ManagementHttp.raw(managementPort, "GET", "/admin/dead-letters", headers).status()).isEqualTo(200);
        assertThat(ManagementHttp.raw(managementPort, "GET", "/actuator/health/readiness", headers).status()).isEqualTo(200);
    }

    @Test
    void thePublicPortIsUntouchedByTheManagementChecks() throws Exception {
        // Dodo's POSTs name the public host and carry no admin header: the webhook route answers as before.
        Answer get = ManagementHttp.raw(port, "GET", "/webhooks/dodo", Map.of("Host", "bridge.example.com"));
        assertThat(get.status()).isEqualTo(405);
        Answer unsigned = ManagementHttp.raw(port, "POST", "/webhooks/dodo", Map.of("Host", "bridge.example.com",
                "Origin", "http://evil.example"));
        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(deliverSample(newWebhookId(), "payment.succeeded").statusCode()).isEqualTo(202);
    }

    private void putDeadLetter(String webhookId) {
        jms.send(DLQ, session -> {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes("{\"type\":\"access.test\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));
            message.setStringProperty(WebhookHeaders.WEBHOOK_ID, webhookId);
            message.setStringProperty(WebhookHeaders.EVENT_TYPE, "access.test");
            message.setStringProperty(WebhookHeaders.DEAD_LETTER_AT, Instant.now().toString());
            message.setStringProperty(WebhookHeaders.DEAD_LETTER_REASON, "test");
            return message;
        });
    }
}
