package io.dodoloops.bridge.loops;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.TestSettings;
import io.dodoloops.bridge.admin.BridgeCli;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Local mode without keys, loud about it, and its outbox sent to Loops later with {@code outbox send}: each recorded
 * line once, with the Idempotency-Key it was recorded with, however often the command runs or stops midway.
 */
class OutboxSendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = WebhookSecrets.generate(new SecureRandom());
    private static RunningBridge bridge;
    private static Path recordedOutbox;
    private static final List<String> IDS = List.of(newId(), newId(), newId());

    private Path dataDir;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    /** One bridge in local mode (no LOOPS_API_KEY) records three webhooks; each test sends a copy of its outbox. */
    @BeforeAll
    static void aBridgeInLocalModeRecordsThreeWebhooks() throws Exception {
        Path dir = Files.createTempDirectory("bridge-local");
        bridge = RunningBridge.start(Map.of("bridge.data-dir", dir.toString(), "bridge.webhook.secret", SECRET,
                "bridge.loops.api-key", ""));
        for (String id : IDS) {
            assertThat(SendSample.post(bridge.webhookUrl(), SECRET, id, Instant.now().getEpochSecond(),
                    SendSample.sample("payment.succeeded")).statusCode()).isEqualTo(202);
        }
        recordedOutbox = dir.resolve("outbox.jsonl");
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(recordedOutbox)
                && Files.readAllLines(recordedOutbox).size() == 3);
    }

    @AfterAll
    static void stop() {
        if (bridge != null) {
            bridge.close();
        }
    }

    @BeforeEach
    void aCopyOfTheOutbox() throws Exception {
        dataDir = Files.createTempDirectory("outbox-send");
        Files.copy(recordedOutbox, dataDir.resolve("outbox.jsonl"));
    }

    @Test
    void localModeIsReportedInHealthAndMetricsWithoutAKey() throws Exception {
        JsonNode loops = JSON.readTree(get(bridge.managementUrl("/actuator/health"))).at("/components/loops");

        assertThat(loops.get("status").asText()).isEqualTo("UP");
        assertThat(loops.at("/details/mode").asText()).isEqualTo("local");
        assertThat(loops.at("/details/outbox").asText()).isEqualTo(recordedOutbox.toAbsolutePath().toString());
        assertThat(get(bridge.managementUrl("/actuator/prometheus"))).containsPattern("bridge_loops_local_mode\\{bridge_instance=\"[^\"]+\"\\} 1.0");
    }

    @Test
    void theOutboxIsSentToLoopsWithTheRecordedKeys() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            assertThat(outboxSend(loops)).as(output.toString()).isZero();

            assertThat(loops.requests()).extracting(r -> r.header("Idempotency-Key"))
                    .containsExactlyInAnyOrderElementsOf(IDS.stream().map(id -> "dodo-" + id).toList());
            assertThat(loops.requests()).allSatisfy(request -> {
                assertThat(request.path()).isEqualTo("/api/v1/events/send");
                assertThat(request.header("Authorization")).isEqualTo("Bearer test-outbox-key");
                assertThat(request.json().get("eventName").asText()).isEqualTo("payment_confirmation");
            });
            assertThat(output.toString()).contains("3 sent, 0 already sent, 0 failed").contains("t***@acme.com")
                    .doesNotContain("test@acme.com").doesNotContain("test-outbox-key");
        }
    }

    @Test
    void aSecondRunSendsNothing() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            outboxSend(loops);
            output.reset();

            assertThat(outboxSend(loops)).isZero();

            assertThat(loops.requests()).hasSize(3);
            assertThat(output.toString()).contains("0 sent, 3 already sent, 0 failed");
        }
    }

    @Test
    void aRunStoppedByALoopsFailureIsCompletedByTheNextRunSendingEachLineOnce() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            loops.script(recordedKeys().get(1), 500); // the second line

            assertThat(outboxSend(loops)).isEqualTo(1);
            assertThat(output.toString()).contains("1 sent, 0 already sent, 1 failed").contains("Loops answered 500");
            assertThat(loops.requests()).hasSize(2);

            assertThat(outboxSend(loops)).isZero();

            for (String id : IDS) {
                assertThat(loops.statusesFor(id)).as(id).endsWith(200).containsOnlyOnce(200);
            }
            assertThat(loops.requests()).hasSize(4);
        }
    }

    @Test
    void aCrashBeforeARunRecordedItsProgressIsLoops409NextTimeAndCountsAsSent() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            outboxSend(loops);
            Files.writeString(dataDir.resolve("outbox.sent"), ""); // as if it died before writing down what Loops took
            output.reset();

            assertThat(outboxSend(loops)).isZero();

            assertThat(output.toString()).contains("0 sent, 3 already sent, 0 failed");
            assertThat(loops.answers()).extracting(LoopsStandIn.Answer::status).containsExactly(200, 200, 200, 409, 409, 409);
        }
    }

    @Test
    void aLineLoopsRefusesIsReportedAndLeftForALaterRunWhileTheOthersAreSent() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            loops.script("dodo-" + IDS.get(0), 400);
            loops.message("dodo-" + IDS.get(0), "Invalid email test@acme.com");

            assertThat(outboxSend(loops)).isEqualTo(1);
            assertThat(output.toString()).contains("2 sent, 0 already sent, 1 failed")
                    .contains("Loops answered 400: Invalid email t***@acme.com (left for a later run)");

            assertThat(outboxSend(loops)).isZero();
            assertThat(loops.keysAndStatusesFor(IDS.get(0))).containsExactly("dodo-" + IDS.get(0) + " 400",
                    "dodo-" + IDS.get(0) + "-r1 200");
        }
    }

    @Test
    void aRefusedLineIsRetriedWithAKeyOfItsOwnSoALoopsThatKeptTheRefusedKeyStillSendsIt() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            loops.useUpKeysOnRefusal(true);
            String refused = recordedKeys().get(0);
            loops.script(refused, 401); // the key was wrong in the first run
            outboxSend(loops);
            output.reset();

            assertThat(outboxSend(loops)).isZero();

            assertThat(output.toString()).contains("1 sent, 2 already sent, 0 failed");
            assertThat(loops.requestsWithKey(refused + "-r1")).hasSize(1);
            assertThat(loops.answers()).extracting(LoopsStandIn.Answer::status).doesNotContain(409);
        }
    }

    @Test
    void withoutALoopsKeyNothingIsSent() {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();

        int exit = OutboxSend.run(TestSettings.environment(Map.of("BRIDGE_DATA_DIR", dataDir.toString(), "LOOPS_API_KEY", "")),
                new PrintStream(output), new PrintStream(errors));

        assertThat(exit).isEqualTo(2);
        assertThat(errors.toString()).contains("LOOPS_API_KEY");
    }

    @Test
    void isACommandOfTheJar() {
        assertThat(BridgeCli.isCommand(new String[] {"outbox", "send"})).isTrue();
    }

    private int outboxSend(LoopsStandIn loops) {
        Map<String, Object> environment = new HashMap<>();
        environment.put("BRIDGE_DATA_DIR", dataDir.toString());
        environment.put("LOOPS_API_KEY", "test-outbox-key");
        environment.put("LOOPS_BASE_URL", loops.baseUrl());
        environment.put("LOOPS_RATE_LIMIT", "50");
        return OutboxSend.run(TestSettings.environment(environment), new PrintStream(output, true, StandardCharsets.UTF_8), System.err);
    }

    /** The Idempotency-Keys in the outbox, in the order of its lines (the consumers record in any order). */
    private static List<String> recordedKeys() throws Exception {
        return Files.readAllLines(recordedOutbox).stream()
                .map(line -> readTree(line).at("/headers/Idempotency-Key").asText()).toList();
    }

    private static JsonNode readTree(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String newId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
}
