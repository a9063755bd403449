package io.dodoloops.bridge.ingress;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;

/** What the webhook endpoint answers, and that nothing it refuses ever reaches Loops. */
class WebhookIngressTest extends BridgeTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void aValidlySignedWebhookIsAcceptedWith202() {
        String id = newWebhookId();

        HttpResponse<String> response = deliverSample(id, "payment.succeeded");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.body()).isEqualTo("{\"status\":\"accepted\",\"webhookId\":\"" + id + "\"}");
    }

    @Test
    void aBodyWithNonAsciiTextIsVerifiedOnItsRawBytes() {
        String id = newWebhookId();
        byte[] body = new String(sample("payment.succeeded"), StandardCharsets.UTF_8)
                .replace("Test user", "José Müller 山田").getBytes(StandardCharsets.UTF_8);

        assertThat(deliver(id, body).statusCode()).isEqualTo(202);
        assertThat(awaitLoopsRequests(id, 1).get(0).json().at("/eventProperties/customer_name").asText())
                .isEqualTo("José Müller 山田");
    }

    @Test
    void aMissingSignatureIs401AndNothingIsQueued() throws Exception {
        String id = newWebhookId();
        HttpResponse<String> response = SendSample.send(webhookUrl(), id, now(), null, sample("payment.succeeded"));

        assertRefused(response, 401, "missing webhook-signature header");
        assertNeverSent(id);
    }

    @Test
    void aMissingWebhookIdOrTimestampIs401() throws Exception {
        byte[] body = sample("payment.succeeded");
        String signature = SendSample.signature(SECRET, "msg_x", Long.parseLong(now()), body);

        assertRefused(SendSample.send(webhookUrl(), null, now(), signature, body), 401, "missing webhook-id header");
        assertRefused(SendSample.send(webhookUrl(), "msg_x", null, signature, body), 401, "missing webhook-timestamp header");
    }

    @Test
    void aTamperedBodyIs401() throws Exception {
        String id = newWebhookId();
        byte[] body = sample("payment.succeeded");
        String signature = SendSample.signature(SECRET, id, Long.parseLong(now()), body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("400", "1").getBytes(StandardCharsets.UTF_8);

        assertRefused(SendSample.send(webhookUrl(), id, now(), signature, tampered), 401,
                "signature does not match any configured secret");
        assertNeverSent(id);
    }

    @Test
    void aWebhookSignedWithAnUnknownSecretIs401() throws Exception {
        String id = newWebhookId();
        String otherSecret = WebhookSecrets.generate(new SecureRandom());

        HttpResponse<String> response = SendSample.post(webhookUrl(), otherSecret, id, Instant.now().getEpochSecond(),
                sample("payment.succeeded"));

        assertRefused(response, 401, "signature does not match any configured secret");
        assertNeverSent(id);
    }

    @Test
    void aTimestampOutsideTheToleranceIs401EitherWay() throws Exception {
        long sixMinutes = Duration.ofMinutes(6).toSeconds();
        String oldId = newWebhookId();
        String futureId = newWebhookId();

        assertRefused(SendSample.post(webhookUrl(), SECRET, oldId, Instant.now().getEpochSecond() - sixMinutes,
                sample("payment.succeeded")), 401, "webhook-timestamp is too old");
        assertRefused(SendSample.post(webhookUrl(), SECRET, futureId, Instant.now().getEpochSecond() + sixMinutes,
                sample("payment.succeeded")), 401, "webhook-timestamp is too new");
        assertNeverSent(oldId);
        assertNeverSent(futureId);
    }

    @Test
    void aSignedBodyThatIsNotJsonIs400() {
        assertRefused(deliver(newWebhookId(), "not json".getBytes(StandardCharsets.UTF_8)), 400, "body is not valid JSON");
        assertRefused(deliver(newWebhookId(), "[1,2]".getBytes(StandardCharsets.UTF_8)), 400, "body is not a JSON object");
        assertRefused(deliver(newWebhookId(), new byte[0]), 400, "body is not a JSON object");
    }

    @Test
    void aSignedBodyWithARepeatedKeyIs400BecauseParsersWouldDisagreeOnIt() {
        String id = newWebhookId();
        byte[] body = "{\"type\":\"refund.succeeded\",\"data\":{},\"type\":\"payment.succeeded\"}".getBytes(StandardCharsets.UTF_8);

        assertRefused(deliver(id, body), 400, "body is not valid JSON: Duplicate field 'type'");
        assertNeverSent(id);
    }

    @Test
    void aSignedWebhookIdThatIsNotAPrintableTokenIs400() {
        assertRefused(deliver("msg with spaces", sample("payment.succeeded")), 400,
                "webhook-id must be 1 to 255 printable ASCII characters");
        assertRefused(deliver("m".repeat(256), sample("payment.succeeded")), 400,
                "webhook-id must be 1 to 255 printable ASCII characters");
    }

    @Test
    void aSignedEnvelopeWithoutTypeIs400() {
        String id = newWebhookId();
        assertRefused(deliver(id, "{\"business_id\":\"bus_1\",\"data\":{}}".getBytes(StandardCharsets.UTF_8)), 400,
                "body has no event type");
        assertNeverSent(id);
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        byte[] huge = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');

        HttpResponse<String> response = SendSample.send(webhookUrl(), newWebhookId(), now(), "v1,AAAA", huge);

        assertRefused(response, 413, "body larger than 1048576 bytes");
    }

    @Test
    void aBodyAtTheLimitIsStillReadStoredAndDelivered() {
        // Padding after the JSON keeps it valid: exactly 1 MiB is allowed. It is more than one journal record holds,
        // so the broker keeps it as a large message, a file of its own.
        byte[] json = sample("payment.succeeded");
        byte[] body = new byte[1024 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');
        System.arraycopy(json, 0, body, 0, json.length);
        String id = newWebhookId();

        assertThat(deliver(id, body).statusCode()).isEqualTo(202);
        assertThat(awaitLoopsRequests(id, 1).get(0).json().at("/eventProperties/payment_id").asText())
                .isEqualTo("pay_2IjeQm4hqU6RA4Z4kwDee");
    }

    @Test
    void otherMethodsAre405() throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(webhookUrl()).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertRefused(response, 405, "method GET not allowed");
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void refusalsNeverShowAStackTrace() throws Exception {
        HttpResponse<String> response = SendSample.send(webhookUrl(), "msg_1", "not-a-number", "v1,AAAA", "{}".getBytes());

        assertRefused(response, 401, "webhook-timestamp is not a Unix time in seconds");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private static void assertRefused(HttpResponse<String> response, int status, String reason) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).startsWith("{\"error\":\"").contains(reason);
    }

    private static String now() {
        return Long.toString(Instant.now().getEpochSecond());
    }

    private void assertNeverSent(String webhookId) {
        // A refused webhook was never queued; the accepted one sent after it reaching Loops shows delivery is idle.
        String marker = newWebhookId();
        assertThat(deliverSample(marker, "payment.succeeded").statusCode()).isEqualTo(202);
        awaitLoopsRequests(marker, 1);
        assertThat(LOOPS.requestsFor(webhookId)).isEmpty();
        assertThat(deadLetter(webhookId)).isNull();
    }
}
