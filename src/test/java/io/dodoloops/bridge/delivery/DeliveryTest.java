package io.dodoloops.bridge.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.queue.WebhookHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** From a signed webhook to the Loops request, and every way that can go wrong on the Loops side. */
class DeliveryTest extends BridgeTest {

    @Test
    void paymentSucceededBecomesOnePaymentConfirmationEvent() {
        String id = newWebhookId();

        assertThat(deliverSample(id, "payment.succeeded").statusCode()).isEqualTo(202);

        List<LoopsStandIn.Request> requests = awaitLoopsRequests(id, 1);
        LoopsStandIn.Request request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/v1/events/send");
        assertThat(request.header("Authorization")).isEqualTo("Bearer test-loops-key");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("Idempotency-Key")).isEqualTo("dodo-" + id);
        assertThat(request.json()).isEqualTo(json("""
                {"eventName":"payment_confirmation","email":"test@acme.com","userId":"cus_8VbC6JDZzPEqfB","eventProperties":{
                  "customer_name":"Test user","payment_id":"pay_2IjeQm4hqU6RA4Z4kwDee","amount":"4.00",
                  "currency":"USD","payment_method":"card","payment_date":"2025-08-04"}}"""));
    }

    @Test
    void onlyContentTypeIdempotencyKeyAndAuthorizationLeaveTheBridge() {
        String id = newWebhookId();
        deliverSample(id, "payment.succeeded");

        LoopsStandIn.Request request = awaitLoopsRequests(id, 1).get(0);

        assertThat(request.headers().keySet()).noneMatch(name -> name.toLowerCase().startsWith("dodo")
                || name.toLowerCase().startsWith("webhook") || name.toLowerCase().startsWith("jms")
                || name.toLowerCase().startsWith("camel") || name.toLowerCase().startsWith("_amq"));
    }

    @Test
    void subscriptionActiveBecomesASubscriptionWelcomeEvent() {
        String id = newWebhookId();
        forgetSampleSubscriptionWelcomed();

        deliverSample(id, "subscription.active");

        assertThat(awaitLoopsRequests(id, 1).get(0).json()).isEqualTo(json("""
                {"eventName":"subscription_welcome","email":"test@acme.com","userId":"cus_8VbC6JDZzPEqfBPUdpj0K",
                 "subscriptionStatus":"active","subscriptionProductId":"pdt_RUST4raxbl0Rfe4VQi1z",
                 "subscriptionNextBilling":"2025-08-23","eventProperties":{
                  "customer_name":"Test user","subscription_id":"sub_7EeHq2ewQuadropD2ra","product_id":"pdt_RUST4raxbl0Rfe4VQi1z",
                  "amount":"10.00","frequency":"Month","next_billing":"2025-08-23"}}"""));
    }

    @ParameterizedTest(name = "email [{0}]")
    @CsvSource(delimiter = '|', value = {"not-an-email|n***", "a b@acme.com|a***@acme.com", "''|(blank)"})
    void anEmailLoopsWouldRefuseIsDeadLetteredWithoutCallingLoops(String email, String masked) throws Exception {
        String javaTransform = newWebhookId();
        String script = newWebhookId();
        deliver(javaTransform, withEmail(sample("subscription.active"), email)
                .replace(SAMPLE_SUBSCRIPTION_ID, "sub_" + javaTransform).getBytes(StandardCharsets.UTF_8));
        deliver(script, withEmail(sample("payment.succeeded"), email).getBytes(StandardCharsets.UTF_8));

        assertThat(awaitDeadLetter(javaTransform).getStringProperty("DeadLetterReason"))
                .isEqualTo("invalid recipient email: " + masked);
        assertThat(awaitDeadLetter(script).getStringProperty("DeadLetterReason"))
                .isEqualTo("transform payment_confirmation.js: invalid recipient email: " + masked);
        assertThat(LOOPS.requestsFor(javaTransform)).isEmpty();
        assertThat(LOOPS.requestsFor(script)).isEmpty();
        assertThat(LOOPS.requests()).noneMatch(r -> r.body().contains(javaTransform) || r.body().contains(script));
    }

    private static String withEmail(byte[] sample, String email) {
        String text = new String(sample, StandardCharsets.UTF_8);
        assertThat(text).contains("\"email\": \"test@acme.com\"");
        return text.replace("\"email\": \"test@acme.com\"", "\"email\": \"" + email + "\"");
    }

    @Test
    void paymentFailedBecomesAPaymentFailedEventWithARetryLink() {
        String id = newWebhookId();

        deliverSample(id, "payment.failed");

        assertThat(awaitLoopsRequests(id, 1).get(0).json()).isEqualTo(json("""
                {"eventName":"payment_failed","email":"test@acme.com","userId":"cus_8VbC6JDZzPEqfB","eventProperties":{
                  "customer_name":"Test user","payment_id":"pay_2IjeQm4hqU6RA4Z4kwDee","amount":"4.00",
                  "error_message":"An error occurred while processing your card. Try again in a little bit.",
                  "retry_link":"https://test.checkout.dodopayments.com/cbq"}}"""));
    }

    @Test
    void refundSucceededBecomesARefundConfirmationEvent() {
        String id = newWebhookId();

        deliverSample(id, "refund.succeeded");

        assertThat(awaitLoopsRequests(id, 1).get(0).json()).isEqualTo(json("""
                {"eventName":"refund_confirmation","email":"jane@example.com","userId":"cus_123","eventProperties":{
                  "refund_id":"ref_nUV0DuvmVgeKJVbS04L0y","payment_id":"pay_aTkzUDRuc7Rb3kVJXE17z","amount":"4.00",
                  "currency":"USD","is_partial":false,"reason":"Testing success refund"}}"""));
    }

    @Test
    void subscriptionCancelledBecomesASubscriptionCancelledEventAndUpdatesTheContact() {
        String id = newWebhookId();

        deliverSample(id, "subscription.cancelled");

        assertThat(awaitLoopsRequests(id, 1).get(0).json()).isEqualTo(json("""
                {"eventName":"subscription_cancelled","email":"test@acme.com","userId":"cus_8VbC6JDZzPEqfBPUdpj0K",
                 "subscriptionStatus":"cancelled","subscriptionProductId":"pdt_RUST4raxbl0Rfe4VQi1z",
                 "subscriptionNextBilling":"2025-08-23","eventProperties":{
                  "subscription_id":"sub_7EeHq2ewQuadropD2ra","product_id":"pdt_RUST4raxbl0Rfe4VQi1z",
                  "cancelled_at":"2025-08-04","cancel_at_next_billing_date":false,"access_until":"2025-08-04"}}"""));
    }

    @Test
    void anEventTypeWithoutATransformIsAcknowledgedAndNeverSent() {
        String id = newWebhookId();
        NotifyBuilder delivered = deliveryOf(id);

        assertThat(deliverSample(id, "dispute.opened").statusCode()).isEqualTo(202);

        assertThat(delivered.matches(20, TimeUnit.SECONDS)).as("the delivery route finished it").isTrue();
        assertThat(LOOPS.requestsFor(id)).isEmpty();
        assertThat(deadLetter(id)).isNull();
    }

    @Test
    void dodoRetryingTheSameWebhookIdGets2xxButLoopsIsCalledOnce() {
        String id = newWebhookId();

        assertThat(deliverSample(id, "payment.succeeded").statusCode()).isEqualTo(202);
        assertThat(deliverSample(id, "payment.succeeded").statusCode()).isEqualTo(202);
        awaitLoopsRequests(id, 1);
        assertThat(deliverSample(id, "payment.succeeded").statusCode()).isEqualTo(202);

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> LOOPS.requestsFor(id).size() == 1);
    }

    @Test
    void rateLimitingByLoopsIsRetriedUntilItIsSent() {
        String id = newWebhookId();
        LOOPS.script("dodo-" + id, 429, 429);
        NotifyBuilder delivered = deliveryOf(id);

        deliverSample(id, "payment.succeeded");

        assertThat(delivered.matches(20, TimeUnit.SECONDS)).as("the delivery route finished it").isTrue();
        assertThat(LOOPS.requestsFor(id)).hasSize(3).extracting(r -> r.header("Idempotency-Key")).containsOnly("dodo-" + id);
        assertThat(deadLetter(id)).isNull();
    }

    @Test
    void loopsServerErrorsOutlastingInRouteRetriesAreRedeliveredByTheBroker() {
        String id = newWebhookId();
        // 3 attempts in the route (retries: 2), then a rollback; the broker's redelivery makes attempt 5 succeed.
        LOOPS.script("dodo-" + id, 500, 502, 503, 504);
        NotifyBuilder delivered = deliveryOf(id);

        deliverSample(id, "payment.succeeded");

        assertThat(delivered.matches(20, TimeUnit.SECONDS)).as("the delivery route finished it").isTrue();
        assertThat(LOOPS.statusesFor(id)).containsExactly(500, 502, 503, 504, 200);
        assertThat(deadLetter(id)).isNull();
    }

    @Test
    void aLoops409OnOurOwnKeyMeansAlreadySent() {
        String id = newWebhookId();
        LOOPS.script("dodo-" + id, 409);
        NotifyBuilder delivered = deliveryOf(id);

        deliverSample(id, "payment.succeeded");

        assertThat(delivered.matches(20, TimeUnit.SECONDS)).as("the delivery route finished it").isTrue();
        assertThat(LOOPS.requestsFor(id)).hasSize(1);
        assertThat(deadLetter(id)).isNull();
    }

    @ParameterizedTest(name = "Loops {0}")
    @ValueSource(ints = {400, 401, 404})
    void aPermanentLoopsErrorDeadLettersTheOriginalWebhookWithTheReason(int status) throws Exception {
        String id = newWebhookId();
        LOOPS.script("dodo-" + id, status);
        byte[] sent = sample("payment.succeeded");

        deliver(id, sent);

        Message deadLetter = awaitDeadLetter(id);
        assertThat(deadLetter.getStringProperty("DeadLetterReason"))
                .isEqualTo("Loops answered " + status + ": {\"success\":false,\"message\":\"stand-in answered " + status + "\"}");
        assertThat(deadLetter.getStringProperty("DeadLetterAt")).isNotBlank();
        assertThat(bodyOf(deadLetter)).isEqualTo(sent);
        assertThat(deadLetter.getStringProperty("DodoWebhookSignature")).startsWith("v1,");
        assertThat(deadLetter.getStringProperty("DodoWebhookTimestamp")).isNotBlank();
        assertThat(deadLetter.getStringProperty("DodoEventType")).isEqualTo("payment.succeeded");
        assertThat(LOOPS.requestsFor(id)).hasSize(1);
    }

    @Test
    void aTransformThatThrowsDeadLettersThatEventAndOthersKeepFlowing() throws Exception {
        String broken = newWebhookId();
        String fine = newWebhookId();
        byte[] withoutCustomer = new String(sample("payment.succeeded"), StandardCharsets.UTF_8)
                .replaceAll("\"customer\": \\{[^}]*},", "").getBytes(StandardCharsets.UTF_8);

        assertThat(deliver(broken, withoutCustomer).statusCode()).isEqualTo(202);
        deliverSample(fine, "payment.succeeded");

        awaitLoopsRequests(fine, 1);
        assertThat(awaitDeadLetter(broken).getStringProperty("DeadLetterReason")).contains("payment_confirmation.js");
        assertThat(LOOPS.requestsFor(broken)).isEmpty();
    }

    @Test
    void aQueuedWebhookThatIsNotJsonIsDeadLetteredAtItsFirstDelivery() throws Exception {
        // Only a broker shared with another producer can hold one; Jackson's failure is an IOException, not an outage.
        String id = newWebhookId();
        jms.send("dodo.webhooks", session -> {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes("not json".getBytes(StandardCharsets.UTF_8));
            message.setStringProperty(WebhookHeaders.WEBHOOK_ID, id);
            message.setStringProperty(WebhookHeaders.EVENT_TYPE, "payment.succeeded");
            message.setLongProperty(WebhookHeaders.RECEIVED_AT, System.currentTimeMillis());
            return message;
        });

        Message deadLetter = awaitDeadLetter(id);
        assertThat(deadLetter.getStringProperty("DeadLetterReason")).startsWith("Unrecognized token 'not'");
        assertThat(deadLetter.getIntProperty("DeadLetterDeliveries")).isEqualTo(1);
        assertThat(LOOPS.requestsFor(id)).isEmpty();
    }

    @Test
    void loopsIsCalledAtMostRateLimitTimesPerSecond() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String id = newWebhookId();
            ids.add(id);
            deliverSample(id, "payment.succeeded");
        }

        ids.forEach(id -> awaitLoopsRequests(id, 1));

        List<Long> times = ids.stream().map(id -> LOOPS.requestsFor(id).get(0).atMillis()).sorted().toList();
        // The default 10/s, released one per 100 ms: a second can see the 10 of its slices and the next one's start.
        for (int first = 0; first < times.size(); first++) {
            long start = times.get(first);
            long inOneSecond = times.stream().filter(t -> t >= start && t < start + 1000).count();
            assertThat(inOneSecond).as("requests in the second after request %d", first).isLessThanOrEqualTo(11);
        }
        assertThat(times.get(times.size() - 1) - times.get(0)).as("25 requests at 10/s").isGreaterThanOrEqualTo(2000);
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
