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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.LoopsStandIn;
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
class TransactionalEmailTest extends BridgeTest {

    private static final List<String> RECEIPT_VARIABLES = List.of("customer_name", "payment_id", "amount", "currency",
            "payment_method", "payment_date");
    private static final List<String> REFUND_VARIABLES = List.of("refund_id", "payment_id", "amount",
            "currency", "is_partial", "reason");
    private static final List<String> WELCOME_VARIABLES = List.of("customer_name", "subscription_id", "product_id", "amount",
            "frequency", "next_billing");

    @DynamicPropertySource
    static void transactionalEmails(DynamicPropertyRegistry registry) {
        registry.add("LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION", () -> "cm_receipt");
        registry.add("LOOPS_TRANSACTIONAL_REFUND_CONFIRMATION", () -> "cm_refund");
        registry.add("LOOPS_TRANSACTIONAL_SUBSCRIPTION_WELCOME", () -> "cm_welcome"); // the Java transform
        registry.add("LOOPS_TRANSACTIONAL_SUBSCRIPTION_EXPIRED", () -> "cm_deleted_in_loops");
    }

    @BeforeAll
    static void loopsHasTheseEmails() {
        LOOPS.transactionalEmails(List.of(
                email("cm_receipt", "Receipt", RECEIPT_VARIABLES),
                email("cm_refund", "Refund", REFUND_VARIABLES),
                email("cm_welcome", "Welcome", WELCOME_VARIABLES)));
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
        forgetSampleSubscriptionWelcomed();

        deliverSample(id, "subscription.active");

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

        assertThat(awaitDeadLetter(id).getStringProperty("DeadLetterReason"))
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
