package io.dodoloops.bridge.delivery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.reliability.BridgeProcess;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LOOPS_TRANSACTIONAL_&lt;EVENTNAME&gt; sends that email through {@code POST /v1/transactional} with the transform's
 * properties as dataVariables; every other email stays a Loops event. The stand-in answers like Loops: 404 for an id
 * it does not list, 400 for a declared data variable that is missing or one that is not a string or number.
 */
class TransactionalEmailTest {

    // Its own bridge (RunningBridge), not the test classes' shared one: these settings change the transforms.
    private static final LoopsStandIn LOOPS = LoopsStandIn.start();
    private static final String SECRET = WebhookSecrets.generate(new java.security.SecureRandom());
    private static RunningBridge bridge;

    private static final List<String> RECEIPT_VARIABLES = List.of("customer_name", "payment_id", "amount", "currency",
            "payment_method", "payment_date");
    private static final List<String> REFUND_VARIABLES = List.of("refund_id", "payment_id", "amount",
            "currency", "is_partial", "reason");
    private static final List<String> WELCOME_VARIABLES = List.of("customer_name", "subscription_id", "product_id", "amount",
            "frequency", "next_billing");

    @BeforeAll
    static void startBridgeAndLoops() throws Exception {
        LOOPS.transactionalEmails(List.of(
                email("cm_receipt", "Receipt", RECEIPT_VARIABLES),
                email("cm_refund", "Refund", REFUND_VARIABLES),
                email("cm_welcome", "Welcome", WELCOME_VARIABLES)));
        Map<String, Object> settings = new java.util.LinkedHashMap<>();
        settings.put("bridge.data-dir", Files.createTempDirectory("transactional").toString());
        settings.put("bridge.webhook.secret", SECRET);
        settings.put("bridge.loops.base-url", LOOPS.baseUrl());
        settings.put("bridge.loops.api-key", "test-loops-key");
        settings.put("LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION", "cm_receipt");
        settings.put("LOOPS_TRANSACTIONAL_REFUND_CONFIRMATION", "cm_refund");
        settings.put("LOOPS_TRANSACTIONAL_SUBSCRIPTION_WELCOME", "cm_welcome"); // the Java transform
        settings.put("LOOPS_TRANSACTIONAL_SUBSCRIPTION_EXPIRED", "cm_deleted_in_loops");
        bridge = RunningBridge.start(settings);
    }

    @AfterAll
    static void stop() {
        if (bridge != null) {
            bridge.close();
        }
        LOOPS.close();
    }

    @Test
    void aConfiguredReceiptGoesToTheTransactionalEndpointWithItsPropertiesAsDataVariables() {
        String id = newWebhookId();

        assertThat(deliverSample(id, "payment.succeeded").statusCode()).isEqualTo(202);

        LoopsStandIn.Request request = awaitLoopsRequests(id, 1).get(0);
        assertThat(request.path()).isEqualTo("/api/v1/transactional");
        assertThat(request.header("Idempotency-Key")).isEqualTo("dodo-" + id);
        assertThat(request.header("Authorization")).isEqualTo("Bearer test-loops-key");
        assertThat(request.json()).isEqualTo(json("""
                {"transactionalId":"cm_receipt","email":"test@acme.com","dataVariables":{
                  "customer_name":"Test user","payment_id":"pay_2IjeQm4hqU6RA4Z4kwDee","amount":"4.00",
                  "currency":"USD","payment_method":"card","payment_date":"2025-08-04"}}"""));
        assertThat(LOOPS.answers()).filteredOn(a -> a.request() == request).extracting(LoopsStandIn.Answer::status).containsExactly(200);
    }

    @Test
    void booleansBecomeTextBecauseDataVariablesTakeOnlyStringsAndNumbers() {
        String id = newWebhookId();

        deliverSample(id, "refund.succeeded");

        JsonNode variables = awaitLoopsRequests(id, 1).get(0).json().path("dataVariables");
        assertThat(variables.path("is_partial").isTextual()).isTrue();
        assertThat(variables.path("is_partial").asText()).isIn("true", "false");
        assertThat(variables.properties()).allMatch(field -> field.getValue().isTextual() || field.getValue().isNumber());
        assertThat(LOOPS.statusesFor(id)).containsExactly(200);
    }

    @Test
    void theJavaWelcomeTransformReadsTheSameSetting() {
        String id = newWebhookId();

        deliver(id, new String(sample("subscription.active"), StandardCharsets.UTF_8)
                .replace("sub_7EeHq2ewQuadropD2ra", "sub_" + id).getBytes(StandardCharsets.UTF_8));

        LoopsStandIn.Request request = awaitLoopsRequests(id, 1).get(0);
        assertThat(request.path()).isEqualTo("/api/v1/transactional");
        assertThat(request.json().path("transactionalId").asText()).isEqualTo("cm_welcome");
        assertThat(request.json().path("dataVariables").properties()).extracting(Map.Entry::getKey)
                .containsExactlyElementsOf(WELCOME_VARIABLES);
        assertThat(LOOPS.statusesFor(id)).containsExactly(200);
    }

    @Test
    void anEmailWithoutTheSettingStaysALoopsEvent() {
        String id = newWebhookId();

        deliverSample(id, "payment.failed");

        LoopsStandIn.Request request = awaitLoopsRequests(id, 1).get(0);
        assertThat(request.path()).isEqualTo("/api/v1/events/send");
        assertThat(request.json().path("eventName").asText()).isEqualTo("payment_failed");
    }

    @Test
    void aDodoRetryOfATransactionalReceiptIsNotSentAgain() {
        String id = newWebhookId();
        deliverSample(id, "payment.succeeded");
        awaitLoopsRequests(id, 1);

        assertThat(deliverSample(id, "payment.succeeded").body()).contains("duplicate");

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> LOOPS.requestsFor(id).size() == 1);
    }

    @Test
    void anIdLoopsDoesNotKnowIsDeadLetteredWithLoopsAnswer() throws Exception {
        String id = newWebhookId();

        deliverSample(id, "subscription.expired");

        jakarta.jms.Message[] deadLetter = new jakarta.jms.Message[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> (deadLetter[0] = BridgeTest.firstDeadLetter(bridge.jms(), id)) != null);
        assertThat(deadLetter[0].getStringProperty("DeadLetterReason"))
                .isEqualTo("Loops answered 404: {\"success\":false,\"message\":\"Transactional email not found\"}");
        assertThat(LOOPS.statusesFor(id)).containsExactly(404);
    }

    @Test
    void theDocumentedEnvironmentVariableSwitchesAProcessToTransactional() throws Exception {
        String secret = WebhookSecrets.generate(new java.security.SecureRandom());
        Path data = Files.createTempDirectory("transactional-env");
        try (BridgeProcess bridge = BridgeProcess.start(data, Map.of(
                "bridge.webhook.secret", secret, "bridge.loops.base-url", LOOPS.baseUrl(), "bridge.loops.api-key", "test-loops-key"),
                List.of(), Map.of("LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION", "cm_receipt")).awaitReady()) {
            String id = newWebhookId();

            int status = SendSample.post(bridge.webhookUrl(), secret, id, Instant.now().getEpochSecond(),
                    sample("payment.succeeded")).statusCode();

            assertThat(status).isEqualTo(202);
            LoopsStandIn.Request request = awaitLoopsRequests(id, 1).get(0);
            assertThat(request.path()).isEqualTo("/api/v1/transactional");
            assertThat(request.json().path("transactionalId").asText()).isEqualTo("cm_receipt");
            assertThat(LOOPS.statusesFor(id)).containsExactly(200);
        }
    }

    private static String newWebhookId() {
        return "msg_" + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    private static byte[] sample(String eventType) {
        try {
            return SendSample.sample(eventType);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static java.net.http.HttpResponse<String> deliver(String webhookId, byte[] body) {
        try {
            return SendSample.post(bridge.webhookUrl(), SECRET, webhookId, Instant.now().getEpochSecond(), body);
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.net.http.HttpResponse<String> deliverSample(String webhookId, String eventType) {
        return deliver(webhookId, sample(eventType));
    }

    private static List<LoopsStandIn.Request> awaitLoopsRequests(String webhookId, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> LOOPS.requestsFor(webhookId).size() >= count);
        return LOOPS.requestsFor(webhookId);
    }

    private static Map<String, Object> email(String id, String name, List<String> variables) {
        return Map.of("id", id, "name", name, "lastUpdated", "2026-11-01T00:00:00.000Z", "dataVariables", variables);
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
