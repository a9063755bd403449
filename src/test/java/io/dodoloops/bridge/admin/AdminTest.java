package io.dodoloops.bridge.admin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalManagementPort;

import io.dodoloops.bridge.BridgeTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator's dry run and dead-letter commands, through the CLI and the management port. */
class AdminTest extends BridgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalManagementPort
    int managementPort;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"payment.succeeded,payment_confirmation", "subscription.active,subscription_welcome",
            "payment.failed,payment_failed"})
    void aDryRunShowsTheLoopsRequestOfEachShippedTransformAndSendsNothing(String eventType, String eventName) throws Exception {
        String id = newWebhookId();
        forgetSampleSubscriptionWelcomed();

        JsonNode answer = cli("dry-run", eventType, "--webhook-id", id);

        assertThat(answer.get("outcome").asText()).isEqualTo("send");
        assertThat(answer.at("/request/url").asText()).isEqualTo(LOOPS.baseUrl() + "/v1/events/send");
        assertThat(answer.at("/request/headers/Authorization").asText()).isEqualTo("Bearer ****");
        assertThat(answer.at("/request/headers/Idempotency-Key").asText()).isEqualTo("dodo-" + id);
        assertThat(answer.at("/request/body/eventName").asText()).isEqualTo(eventName);
        assertThat(answer.at("/request/body/email").asText()).isEqualTo("test@acme.com");
        assertNeverSent(id);
    }

    @Test
    void aDryRunSaysWhyNothingWouldBeSent() throws Exception {
        assertThat(dryRun(sample("dispute.opened")))
                .isEqualTo(JSON.readTree("{\"eventType\":\"dispute.opened\",\"outcome\":\"ignored\",\"reason\":\"no transform for this event type\"}"));
        assertThat(dryRun("not json".getBytes()))
                .isEqualTo(JSON.readTree("{\"outcome\":\"refused\",\"status\":400,\"reason\":\"body is not valid JSON\"}"));
        JsonNode broken = dryRun("{\"type\":\"payment.succeeded\",\"data\":{}}".getBytes());
        assertThat(broken.get("outcome").asText()).isEqualTo("dead-letter");
        assertThat(broken.get("reason").asText()).contains("payment_confirmation.js");
    }

    @Test
    void aDeadLetterCanBeListedShownAndReplayedAfterTheFixAndIsThenSentOnce() throws Exception {
        String id = newWebhookId();
        LOOPS.script("dodo-" + id, 400); // Loops rejects it once (a template problem), then accepts it
        deliverSample(id, "payment.failed");
        awaitDeadLetter(id);

        JsonNode listed = find(cli("dead-letters", "list", "--event-type", "payment.failed"), id);
        assertThat(listed.get("reason").asText()).startsWith("Loops answered 400");
        assertThat(listed.get("deliveries").asInt()).isEqualTo(1);
        assertThat(listed.get("deadLetteredAt").asText()).isNotBlank();
        assertThat(cli("dead-letters", "show", id).at("/body/type").asText()).isEqualTo("payment.failed");

        assertThat(cli("dead-letters", "replay", id).get("replayed").get(0).asText()).isEqualTo(id);

        // Loops refused the first request, so the replay sends a key of its own (ReplayKeyTest).
        await().atMost(Duration.ofSeconds(20)).until(() -> LOOPS.keysAndStatusesFor(id).size() == 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> LOOPS.keysAndStatusesFor(id).size() == 2);
        assertThat(LOOPS.keysAndStatusesFor(id)).containsExactly("dodo-" + id + " 400", "dodo-" + id + "-r1 200");
        assertThat(deadLetter(id)).isNull();
    }

    @Test
    void deadLettersCanBeReplayedByEventType() throws Exception {
        String failed = newWebhookId();
        String succeeded = newWebhookId();
        LOOPS.script("dodo-" + failed, 404);
        LOOPS.script("dodo-" + succeeded, 404);
        deliverSample(failed, "payment.failed");
        deliverSample(succeeded, "payment.succeeded");
        awaitDeadLetter(failed);
        awaitDeadLetter(succeeded);

        JsonNode replayed = cli("dead-letters", "replay", "--all", "--event-type", "payment.failed");

        assertThat(replayed.get("replayed").toString()).contains(failed).doesNotContain(succeeded);
        await().atMost(Duration.ofSeconds(20)).until(() -> LOOPS.keysAndStatusesFor(failed).size() == 2);
        assertThat(deadLetter(succeeded)).isNotNull();
    }

    @Test
    void anUnknownDeadLetterIs404AndAUsageErrorIsExitCode2() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BridgeCli cli = new BridgeCli(managementUrl(), new PrintStream(out));

        assertThat(cli.execute(List.of("dead-letters", "show", "msg_nothing"), Map.of())).isEqualTo(1);
        assertThat(out.toString()).contains("no dead letter for webhook msg_nothing");
        assertThat(cli.execute(List.of("dead-letters", "frobnicate"), Map.of())).isEqualTo(2);
    }

    @Test
    void theAdminEndpointsAreNotOnThePublicPort() throws Exception {
        HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/admin/dead-letters")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(404);
    }

    private JsonNode cli(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BridgeCli.Invocation invocation = BridgeCli.Invocation.parse(args);
        int exit = new BridgeCli(managementUrl(), new PrintStream(out)).execute(invocation.words(), invocation.options());
        assertThat(exit).as("exit code of %s: %s", String.join(" ", args), out).isZero();
        return JSON.readTree(out.toString(StandardCharsets.UTF_8));
    }

    private JsonNode dryRun(byte[] body) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(managementUrl() + "/admin/dry-run")).header("Content-Type", "application/json")
                .header("X-Bridge-Admin", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    private static JsonNode find(JsonNode entries, String webhookId) {
        for (JsonNode entry : entries) {
            if (webhookId.equals(entry.get("webhookId").asText())) {
                return entry;
            }
        }
        throw new AssertionError("no dead letter listed for " + webhookId + " in " + entries);
    }

    private void assertNeverSent(String id) {
        String marker = newWebhookId();
        deliverSample(marker, "payment.succeeded");
        awaitLoopsRequests(marker, 1);
        assertThat(LOOPS.requestsFor(id)).isEmpty();
    }
}
