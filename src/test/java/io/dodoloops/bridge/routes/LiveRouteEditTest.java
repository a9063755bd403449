package io.dodoloops.bridge.routes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.util.FileSystemUtils;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Route files edited while the bridge runs: good edits apply within seconds, however they are saved; broken ones are
 * refused with their reason in the {@code routes} health, and never stop delivery.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveRouteEditTest {

    private static final String REFUND_ROUTE = """
                          - id: is-dispute-opened
                            simple: "${header.DodoEventType} == 'dispute.opened'"
                            steps:
                              - bean:
                                  id: transform-dispute-opened
                                  ref: javascript
                                  method: "transform(${body}, 'dispute_notice.js')"
            """;

    private final String secret = WebhookSecrets.generate(new SecureRandom());
    private Path routes;
    private Path transforms;
    private String mapping;
    private LoopsStandIn loops;
    private RunningBridge bridge;

    @BeforeAll
    void startOnCopiesOfTheRoutesAndTransforms() throws Exception {
        Path root = Files.createTempDirectory("live-edit");
        routes = root.resolve("routes");
        transforms = root.resolve("transforms");
        FileSystemUtils.copyRecursively(Path.of("routes"), routes);
        FileSystemUtils.copyRecursively(Path.of("transforms"), transforms);
        mapping = Files.readString(routes.resolve("transform.yaml"));
        loops = LoopsStandIn.start();
        bridge = RunningBridge.start(Map.of(
                "bridge.data-dir", root.resolve("data").toString(),
                "bridge.routes.directory", routes.toString(),
                "bridge.transforms.directory", transforms.toString(),
                "bridge.webhook.secret", secret,
                "bridge.loops.api-key", "test-loops-key",
                "bridge.loops.base-url", loops.baseUrl()));
    }

    @AfterAll
    void stop() {
        bridge.close();
        loops.close();
    }

    @Test
    void aNewEventMappingAppliesWithoutARestart() throws Exception {
        Files.writeString(transforms.resolve("dispute_notice.js"), """
                function handler(webhook) {
                  const r = webhook.payload.data;
                  webhook.payload = { eventName: "dispute_notice", email: "disputes@example.com",
                                      eventProperties: { dispute_id: r.dispute_id } };
                  return webhook;
                }
                """);
        String before = send("dispute.opened");
        assertNotSent(before);

        // The event-type choice's own otherwise, not a nested choice's (the subscription.active branch has one).
        int transformChoiceEnd = mapping.indexOf("\n            otherwise:\n") + 1;
        edit(mapping.substring(0, transformChoiceEnd) + REFUND_ROUTE + mapping.substring(transformChoiceEnd));

        CamelContext camel = bridge.bean(CamelContext.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getProcessor("transform-dispute-opened") != null);
        String after = send("dispute.opened");
        assertDelivered(after);
        assertThat(loops.requestsFor(after).get(0).json().get("eventName").asText()).isEqualTo("dispute_notice");

        edit(mapping);
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getProcessor("transform-dispute-opened") == null);
    }

    /** Editors that save by rename replace the file's inode: seen even with the same size and modification time. */
    @Test
    void anEditSavedByRenameAppliesEvenWithTheSameSizeAndTime() throws Exception {
        Path file = routes.resolve("transform.yaml");
        assertThat(mapping).contains("id: read-event");
        Path saving = Files.writeString(routes.resolve(".transform.yaml.swp"), mapping.replace("id: read-event", "id: parse-body"));
        Files.setLastModifiedTime(saving, Files.getLastModifiedTime(file));

        Files.move(saving, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        CamelContext camel = bridge.bean(CamelContext.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getProcessor("parse-body") != null);
        assertDelivered(send("payment.succeeded"));

        edit(mapping);
        await().atMost(Duration.ofSeconds(5)).until(() -> camel.getProcessor("read-event") != null);
    }

    @Test
    void aYamlSyntaxErrorIsRefusedAndReportedWithItsLineWhileDeliveryGoesOn() throws Exception {
        edit(mapping + "  - broken: [\n");

        await().atMost(Duration.ofSeconds(10)).until(() -> routesHealth().path("status").asText().equals("DOWN"));
        assertThat(routesHealth().at("/details/routes~1transform.yaml").asText()).contains("line");
        assertDelivered(send("payment.succeeded"));

        edit(mapping);
        await().atMost(Duration.ofSeconds(10)).until(() -> routesHealth().path("status").asText().equals("UP"));
    }

    @Test
    void anEditCamelCannotBuildIsRolledBackAndDeliveryGoesOn() throws Exception {
        edit(mapping.replace("ref: readDodoEvent", "ref: noSuchBean"));

        await().atMost(Duration.ofSeconds(10)).until(() -> routesHealth().path("status").asText().equals("DOWN"));
        assertThat(routesHealth().at("/details/routes~1transform.yaml").asText()).contains("noSuchBean");
        assertDelivered(send("payment.succeeded"));

        edit(mapping);
        await().atMost(Duration.ofSeconds(10)).until(() -> routesHealth().path("status").asText().equals("UP"));
        assertDelivered(send("payment.succeeded"));
    }

    @Test
    void anEditOfTheErrorPolicyIsRefusedUntilARestartAndTheRunningPolicyStaysInForce() throws Exception {
        Path policy = routes.resolve("error-handling.yaml");
        String original = Files.readString(policy);
        String storeDeadLetter = "            - to:\n                id: store-dead-letter\n";
        assertThat(original).contains(storeDeadLetter);
        String edited = original.replace(storeDeadLetter, """
                            - setHeader:
                                id: mark-edited-policy
                                name: DeadLetterPolicy
                                constant: edited
                """ + storeDeadLetter);
        try {
            Files.writeString(policy, edited);

            await().atMost(Duration.ofSeconds(10)).until(() -> routesHealth().path("status").asText().equals("DOWN"));
            assertThat(routesHealth().at("/details/routes~1error-handling.yaml").asText())
                    .isEqualTo("route configurations [delivery-errors] changed; they apply when the bridge restarts"
                            + " (the running routes keep the previous ones)");
            // Never half applied: delivery still dead-letters with the policy it started with.
            assertThat(deadLetterHeader(sendUnformattableAmount(), "DeadLetterPolicy")).isNull();
            assertDelivered(send("payment.succeeded"));
        } finally {
            Files.writeString(policy, original);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> routesHealth().path("status").asText().equals("UP"));

        // What a restart does: the edited file is the policy of every route that names it.
        Files.writeString(policy, edited);
        try (RunningBridge restarted = RunningBridge.start(Map.of(
                "bridge.data-dir", Files.createTempDirectory("live-edit-restart").toString(),
                "bridge.routes.directory", routes.toString(),
                "bridge.transforms.directory", transforms.toString(),
                "bridge.webhook.secret", secret,
                "bridge.loops.api-key", "test-loops-key",
                "bridge.loops.base-url", loops.baseUrl()))) {
            assertThat(deadLetterHeader(restarted, sendUnformattableAmount(restarted), "DeadLetterPolicy")).isEqualTo("edited");
        } finally {
            Files.writeString(policy, original);
        }
    }

    @Test
    void aRouteFileAddedWithAPlatformHttpConsumerAnswersOnThePublicPort() throws Exception {
        Files.writeString(routes.resolve("ping.yaml"), """
                - route:
                    id: ping
                    from:
                      uri: platform-http:/harness-ping
                      steps:
                        - setBody:
                            constant: pong
                """);
        URI ping = bridge.webhookUrl().resolve("/harness-ping");

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(ping).build(), HttpResponse.BodyHandlers.ofString()).body().equals("pong"));
        assertThat(routesHealth().path("status").asText()).isEqualTo("UP");
        assertDelivered(send("payment.succeeded"));
    }

    private void edit(String text) throws Exception {
        Files.writeString(routes.resolve("transform.yaml"), text);
    }

    private String send(String eventType) throws Exception {
        String id = "msg_" + UUID.randomUUID();
        assertThat(SendSample.post(bridge.webhookUrl(), secret, id, Instant.now().getEpochSecond(),
                SendSample.sample(eventType)).statusCode()).isEqualTo(202);
        return id;
    }

    private String sendUnformattableAmount() throws Exception {
        return sendUnformattableAmount(bridge);
    }

    /** A payment.succeeded whose amount the transform cannot format: a permanent failure, dead-lettered at once. */
    private String sendUnformattableAmount(RunningBridge bridge) throws Exception {
        String id = "msg_" + UUID.randomUUID();
        byte[] body = new String(SendSample.sample("payment.succeeded"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"total_amount\": 400", "\"total_amount\": \"four\"").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(SendSample.post(bridge.webhookUrl(), secret, id, Instant.now().getEpochSecond(), body).statusCode())
                .isEqualTo(202);
        return id;
    }

    private String deadLetterHeader(String webhookId, String header) {
        return deadLetterHeader(bridge, webhookId, header);
    }

    /** The header of the webhook's dead letter, once it is there; null if it has none. */
    private static String deadLetterHeader(RunningBridge bridge, String webhookId, String header) {
        Object[] value = new Object[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> bridge.jms().browseSelected("dodo.webhooks.DLQ",
                "DodoWebhookId = '" + webhookId + "'", (session, browser) -> {
                    var messages = browser.getEnumeration();
                    if (!messages.hasMoreElements()) {
                        return false;
                    }
                    value[0] = ((jakarta.jms.Message) messages.nextElement()).getStringProperty(header);
                    return true;
                }));
        return (String) value[0];
    }

    private void assertDelivered(String id) {
        await().atMost(Duration.ofSeconds(10)).until(() -> loops.requestsFor(id).size() == 1);
    }

    private void assertNotSent(String id) {
        String marker = null;
        try {
            marker = send("payment.succeeded");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertDelivered(marker);
        assertThat(loops.requestsFor(id)).isEmpty();
    }

    private JsonNode routesHealth() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(bridge.managementUrl("/actuator/health/routes")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }
}
