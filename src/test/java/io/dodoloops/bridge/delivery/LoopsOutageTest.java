package io.dodoloops.bridge.delivery;

import java.io.IOException;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.jms.Message;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Loops unreachable for a while, and the bridge restarted meanwhile: every accepted webhook still reaches Loops once. */
class LoopsOutageTest {

    private final String secret = WebhookSecrets.generate(new SecureRandom());

    @Test
    void webhooksAcceptedWhileLoopsIsDownAreSentWhenItComesBack() throws Exception {
        int loopsPort = freePort();
        try (RunningBridge bridge = RunningBridge.start(settings(tempDir(), loopsPort))) {
            String id = accept(bridge, "payment.succeeded");
            // Several attempts fail with "connection refused" meanwhile; none of them may drop or dead-letter it.
            Thread.sleep(1500);
            assertThat(deadLetter(bridge, id)).isNull();

            try (LoopsStandIn loops = LoopsStandIn.start(loopsPort)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(id).size() == 1);
            }
        }
    }

    @Test
    void webhooksQueuedBeforeARestartAreDeliveredAfterIt() throws Exception {
        int loopsPort = freePort();
        String dataDir = tempDir();
        List<String> ids;
        try (RunningBridge before = RunningBridge.start(settings(dataDir, loopsPort))) {
            ids = List.of(accept(before, "payment.succeeded"), accept(before, "subscription.active"),
                    accept(before, "payment.failed"));
        }

        try (LoopsStandIn loops = LoopsStandIn.start(loopsPort);
             RunningBridge after = RunningBridge.start(settings(dataDir, loopsPort))) {
            for (String id : ids) {
                await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(id).size() == 1);
            }
            assertThat(loops.requests()).hasSize(3);
        }
    }

    @Test
    void aWebhookLoopsKeepsFailingIsDeadLetteredAfterGiveUpTimeAndItsReplayKeepsTheKey() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            Map<String, Object> settings = settings(loops);
            settings.put("bridge.delivery.give-up-after", "2s");
            String id = "msg_" + UUID.randomUUID();
            loops.script("dodo-" + id, java.util.Collections.nCopies(1000, 503).toArray(Integer[]::new));
            try (RunningBridge bridge = RunningBridge.start(settings)) {
                // The give-up clock runs from receipt: post only once this bridge is the sender and consuming, or a
                // slow election (1.8 s seen in CI) eats the 2 s before the first attempt.
                await().atMost(Duration.ofSeconds(20)).until(() -> bridge.bean(SenderRole.class).isSender());
                post(bridge, id, "payment.succeeded");

                await().atMost(Duration.ofSeconds(20)).until(() -> deadLetter(bridge, id) != null);
                assertThat(deadLetter(bridge, id).getStringProperty("DeadLetterReason"))
                        .startsWith("Loops still failing at give-up time: Loops answered 503");
                assertThat(loops.requestsFor(id).size()).isGreaterThan(3);
                assertThat(deadLetter(bridge, id).getIntProperty("DeadLetterLoopsStatus")).isEqualTo(503);

                // A 5xx may have sent the email: the replay must let Loops answer 409 to the same key, not send anew.
                loops.script("dodo-" + id);
                bridge.bean(io.dodoloops.bridge.admin.DeadLetterQueue.class).replay(id);
                await().atMost(Duration.ofSeconds(20)).until(() -> loops.statusesFor(id).contains(200));
                assertThat(loops.keysAndStatusesFor(id)).allMatch(answer -> answer.startsWith("dodo-" + id + " "));
            }
        }
    }

    @Test
    void aWebhookLoopsRefusesDoesNotHoldUpTheWebhooksQueuedBehindIt() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            Map<String, Object> settings = settings(loops);
            settings.put("bridge.delivery.consumers", "1");
            // Handed back to the broker, the refused webhook waits a minute: the ones behind it must not wait with it.
            settings.put("bridge.delivery.broker-redelivery-delay", "60s");
            settings.put("bridge.delivery.broker-redelivery-max-delay", "60s");
            String refused = "msg_" + UUID.randomUUID();
            loops.script("dodo-" + refused, 503, 503, 503, 503);
            loops.answerAfter(300); // the consumer is busy with the refused one while the others arrive
            try (RunningBridge bridge = RunningBridge.start(settings)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> bridge.bean(SenderRole.class).isSender());
                post(bridge, refused, "payment.succeeded");
                List<String> behind = new java.util.ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    behind.add(accept(bridge, "payment.succeeded"));
                }
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> behind.stream().allMatch(id -> loops.requestsFor(id).size() == 1));
                assertThat(loops.statusesFor(refused)).doesNotContain(200); // still waiting for its redelivery
            }
        }
    }

    private Map<String, Object> settings(LoopsStandIn loops) throws IOException {
        Map<String, Object> settings = settings(tempDir(), 0);
        settings.put("bridge.loops.base-url", loops.baseUrl());
        return settings;
    }

    private Map<String, Object> settings(String dataDir, int loopsPort) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bridge.data-dir", dataDir);
        settings.put("bridge.webhook.secret", secret);
        settings.put("bridge.loops.api-key", "test-loops-key");
        settings.put("bridge.loops.base-url", "http://127.0.0.1:" + loopsPort + "/api");
        settings.put("bridge.delivery.retries", "1");
        settings.put("bridge.delivery.retry-delay-ms", "50");
        settings.put("bridge.delivery.broker-redelivery-delay", "200ms");
        settings.put("bridge.delivery.broker-redelivery-max-delay", "500ms");
        return settings;
    }

    private String accept(RunningBridge bridge, String eventType) throws Exception {
        String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
        post(bridge, id, eventType);
        return id;
    }

    private void post(RunningBridge bridge, String id, String eventType) throws Exception {
        assertThat(SendSample.post(bridge.webhookUrl(), secret, id, Instant.now().getEpochSecond(), SendSample.sample(eventType))
                .statusCode()).isEqualTo(202);
    }

    private static Message deadLetter(RunningBridge bridge, String id) {
        return BridgeTest.firstDeadLetter(bridge.jms(), id);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tempDir() throws IOException {
        return java.nio.file.Files.createTempDirectory("bridge-outage").toString();
    }
}
