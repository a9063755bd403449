package io.dodoloops.bridge.queue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.reliability.BridgeProcess;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the bridge process: a webhook answered 202 is on disk, and one whose Loops call was in flight is sent
 * again with the same Idempotency-Key (Loops answers 409: no second email) instead of being lost.
 */
class CrashRecoveryTest {

    private final String secret = WebhookSecrets.generate(new SecureRandom());

    @Test
    void webhooksAcceptedBeforeAKill9AreDeliveredByTheNextProcess() throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-crash");
        int loopsPort = BridgeProcess.freePort();
        List<String> ids = new ArrayList<>();

        try (BridgeProcess first = startBridge(dataDir, loopsPort)) {
            URI url = first.awaitReady().webhookUrl();
            for (String type : List.of("payment.succeeded", "subscription.active", "payment.failed")) {
                String id = "msg_" + UUID.randomUUID();
                assertThat(SendSample.post(url, secret, id, Instant.now().getEpochSecond(), SendSample.sample(type))
                        .statusCode()).isEqualTo(202);
                ids.add(id);
            }
        }

        try (LoopsStandIn loops = LoopsStandIn.start(loopsPort);
             BridgeProcess second = startBridge(dataDir, loopsPort)) {
            second.awaitReady();
            for (String id : ids) {
                await().atMost(Duration.ofSeconds(30)).until(() -> loops.requestsFor(id).size() == 1);
            }
        }
    }

    @Test
    void aLoopsCallInFlightDuringAKill9IsRepeatedWithTheSameIdempotencyKey() throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-crash");
        String id = "msg_" + UUID.randomUUID();
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            int loopsPort = URI.create(loops.baseUrl()).getPort();
            loops.answerAfter(60_000);
            try (BridgeProcess first = startBridge(dataDir, loopsPort)) {
                URI url = first.awaitReady().webhookUrl();
                SendSample.post(url, secret, id, Instant.now().getEpochSecond(), SendSample.sample("payment.succeeded"));
                await().atMost(Duration.ofSeconds(30)).until(() -> loops.requestsFor(id).size() == 1);
            }

            loops.answerAfter(0);
            try (BridgeProcess second = startBridge(dataDir, loopsPort)) {
                second.awaitReady();
                await().atMost(Duration.ofSeconds(30)).until(() -> loops.requestsFor(id).size() == 2);
                assertThat(loops.requestsFor(id)).extracting(r -> r.header("Idempotency-Key"))
                        .containsOnly("dodo-" + id);
                // Loops answered 409 to the repeat: the bridge takes that as sent, not as a failure.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> second.log().contains("already sent earlier (Loops 409 on our Idempotency-Key)"));
                second.kill();
                assertThat(second.log()).doesNotContain("Dead-lettered");
            }
        }
    }

    @Test
    void aBacklogPagedToDiskBeyondTheMemoryLimitSurvivesAKill9() throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-crash");
        int loopsPort = BridgeProcess.freePort(); // nothing listens: Loops is down while the backlog builds
        List<String> ids = new ArrayList<>();

        try (BridgeProcess first = startBridge(dataDir, loopsPort, "bridge.queue.memory-limit", "16KB")) {
            URI url = first.awaitReady().webhookUrl();
            for (int i = 0; i < 60; i++) {
                String id = "msg_" + UUID.randomUUID();
                assertThat(SendSample.post(url, secret, id, Instant.now().getEpochSecond(),
                        SendSample.sample("payment.succeeded")).statusCode()).isEqualTo(202);
                ids.add(id);
            }
            // 60 webhooks of about 1.5 KB do not fit in 16 KB: the broker has written the rest to page files.
            try (var pages = Files.walk(dataDir.resolve("artemis/paging"))) {
                assertThat(pages.filter(f -> f.toString().endsWith(".page")).toList()).isNotEmpty();
            }
        }

        // The same small limit after the restart: the page files are read back a little at a time (page reads are
        // capped at the memory limit too), and still every webhook goes out once.
        try (LoopsStandIn loops = LoopsStandIn.start(loopsPort);
             BridgeProcess second = startBridge(dataDir, loopsPort, "bridge.queue.memory-limit", "16KB")) {
            second.awaitReady();
            await().atMost(Duration.ofSeconds(60)).until(() -> ids.stream().allMatch(id -> !loops.requestsFor(id).isEmpty()));
            Thread.sleep(1000); // room for a late second copy
            assertThat(ids).allSatisfy(id -> assertThat(loops.requestsFor(id)).hasSize(1));
        }
    }

    private BridgeProcess startBridge(Path dataDir, int loopsPort, String... more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "bridge.webhook.secret", secret,
                "bridge.loops.api-key", "test-loops-key",
                "bridge.loops.base-url", "http://127.0.0.1:" + loopsPort + "/api",
                "bridge.delivery.retries", "1",
                "bridge.delivery.retry-delay-ms", "50",
                "bridge.delivery.broker-redelivery-delay", "200ms",
                "bridge.delivery.broker-redelivery-max-delay", "500ms"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return BridgeProcess.start(dataDir, settings);
    }
}
