package io.dodoloops.bridge.reliability;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.queue.StoredWebhookIds;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every kind of request the ingress table of docs/security.md lists, and the odd ones a public endpoint gets anyway:
 * each gets its documented answer; a refused one is never stored (so never sent, never dead-lettered); an accepted one
 * reaches Loops intact; no answer ever shows a stack trace or an exception class. The 503 row (broker unreachable) is
 * {@code ExternalBrokerTest}'s.
 */
@ExtendWith(OutputCaptureExtension.class)
class HostileInputTest extends BridgeTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    private StoredWebhookIds stored;

    // --- docs/security.md's ingress table, row by row ---------------------------------------------------------

    @Test
    void aValidlySignedEnvelopeIsAcceptedOnceStoredAndSent() {
        String id = newWebhookId();

        HttpResponse<String> response = deliverSample(id, "payment.succeeded");

        assertAnswer(response, 202, "{\"status\":\"accepted\",\"webhookId\":\"" + id + "\"}");
        assertThat(stored.contains(id)).isTrue();
        assertThat(awaitLoopsRequests(id, 1)).hasSize(1);
    }

    @Test
    void signatureProblemsAre401AndNothingIsStored() throws Exception {
        byte[] body = sample("payment.succeeded");
        String now = Long.toString(Instant.now().getEpochSecond());
        String otherSecret = WebhookSecrets.generate(new SecureRandom());
        String id = newWebhookId();
        String valid = SendSample.signature(SECRET, id, Long.parseLong(now), body);

        assertRefused(SendSample.send(webhookUrl(), id, now, null, body), 401, "missing webhook-signature header", id);
        assertRefused(SendSample.send(webhookUrl(), null, now, valid, body), 401, "missing webhook-id header", id);
        assertRefused(SendSample.send(webhookUrl(), id, null, valid, body), 401, "missing webhook-timestamp header", id);
        assertRefused(SendSample.send(webhookUrl(), id, now, "v1,AAAA", body), 401,
                "signature does not match any configured secret", id);
        assertRefused(SendSample.send(webhookUrl(), id, now, "v1,not base64!", body), 401,
                "signature does not match any configured secret", id);
        assertRefused(SendSample.send(webhookUrl(), id, now, valid.replace("v1,", "v2,"), body), 401, "", id);
        assertRefused(SendSample.post(webhookUrl(), otherSecret, id, Long.parseLong(now), body), 401,
                "signature does not match any configured secret", id);
        // Signed for another webhook-id: the id is part of what is signed.
        assertRefused(SendSample.send(webhookUrl(), newWebhookId(), now, valid, body), 401,
                "signature does not match any configured secret", id);
    }

    @Test
    void aTimestampMoreThanFiveMinutesOffIs401EitherWay() throws Exception {
        long sixMinutes = Duration.ofMinutes(6).toSeconds();
        String id = newWebhookId();
        byte[] body = sample("payment.succeeded");

        assertRefused(SendSample.post(webhookUrl(), SECRET, id, Instant.now().getEpochSecond() - sixMinutes, body), 401,
                "webhook-timestamp is too old", id);
        assertRefused(SendSample.post(webhookUrl(), SECRET, id, Instant.now().getEpochSecond() + sixMinutes, body), 401,
                "webhook-timestamp is too new", id);
        assertRefused(SendSample.send(webhookUrl(), id, "1e9", SendSample.signature(SECRET, id, 0, body), body), 401,
                "webhook-timestamp is not a Unix time in seconds", id);
    }

    @Test
    void aBodySignedInFullButCutShortIs401() {
        String id = newWebhookId();
        byte[] body = sample("payment.succeeded");
        long now = Instant.now().getEpochSecond();
        String signature = SendSample.signature(SECRET, id, now, body);

        assertRefused(send(id, Long.toString(now), signature, Arrays.copyOf(body, body.length / 2), "application/json"),
                401, "signature does not match any configured secret", id);
    }

    @Test
    void aConnectionThatEndsBeforeTheDeclaredContentLengthStoresNothing() throws Exception {
        String id = newWebhookId();
        byte[] body = sample("payment.succeeded");
        long now = Instant.now().getEpochSecond();
        String head = "POST /webhooks/dodo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nwebhook-id: " + id + "\r\nwebhook-timestamp: " + now
                + "\r\nwebhook-signature: " + SendSample.signature(SECRET, id, now, body) + "\r\nConnection: close\r\n\r\n";

        RawAnswer answer = raw(head.getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(body, body.length / 2));

        // Tomcat itself answers 400 when the body ends early: the bridge never sees a partial body.
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertNoInternals(answer.body());
        assertNotStored(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"type\":\"payment.succeeded\"", "[1,2]", "\"payment.succeeded\"", "null", "",
            "{\"business_id\":\"bus_1\",\"data\":{}}", "{\"type\":42}", "{\"type\":\"\"}",
            "{\"type\":\"refund.succeeded\",\"data\":{},\"type\":\"payment.succeeded\"}",
            "{\"type\":\"payment.succeeded\",\"data\":{\"customer\":{\"email\":\"a@acme.com\",\"email\":\"b@evil.com\"}}}"})
    void aSignedBodyThatIsNotAnEnvelopeWithOneTypeIs400(String body) {
        String id = newWebhookId();

        HttpResponse<String> response = deliver(id, body.getBytes(StandardCharsets.UTF_8));

        assertRefused(response, 400, "body ", id);
    }

    @Test
    void aRepeatedKeyIsNamedInThe400() {
        String id = newWebhookId();
        String body = "{\"type\":\"payment.succeeded\",\"data\":{\"customer\":{\"email\":\"a@acme.com\",\"email\":\"b@evil.com\"}}}";

        assertRefused(deliver(id, body.getBytes(StandardCharsets.UTF_8)), 400,
                "body is not valid JSON: Duplicate field 'email'", id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"msg with spaces", "msg_tab\there", "msg_trailing_tab\t_"})
    void aWebhookIdThatIsNotPrintableAsciiIs400(String id) {
        assertRefused(deliver(id, sample("payment.succeeded")), 400,
                "webhook-id must be 1 to 255 printable ASCII characters", id);
    }

    /**
     * Bytes the JDK client will not send: a DEL (Tomcat refuses the request itself, 400 without the bridge's JSON)
     * and a non-ASCII letter (signed as the server decodes it, ISO-8859-1).
     */
    @ParameterizedTest
    @ValueSource(strings = {"msg_\u007f", "msg_\u00fc"})
    void aWebhookIdWithControlOrNonAsciiBytesIs400(String id) throws Exception {
        byte[] body = sample("payment.succeeded");
        long now = Instant.now().getEpochSecond();
        byte[] head = ("POST /webhooks/dodo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nwebhook-id: " + id + "\r\nwebhook-timestamp: " + now
                + "\r\nwebhook-signature: " + SendSample.signature(SECRET, id, now, body) + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);

        RawAnswer answer = raw(head, body);

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertNoInternals(answer.body());
        assertNotStored(id);
    }

    @Test
    void aWebhookIdLongerThan255CharactersIs400() {
        String id = "msg_" + "x".repeat(252);

        assertRefused(deliver(id, sample("payment.succeeded")), 400,
                "webhook-id must be 1 to 255 printable ASCII characters", id);
    }

    /** Printable ASCII is a valid webhook-id, however it looks: it is sent on as one header value, as it came. */
    @ParameterizedTest
    @ValueSource(strings = {"msg_\"quoted\"", "msg_'single'", "msg_%0d%0aX-Injected:%20yes", "msg_<script>",
            "msg_;rm,-rf\\"})
    void aWebhookIdThatLooksLikeAnInjectionIsJustAnIdempotencyKey(String id) {
        assertThat(deliverSample(id, "payment.succeeded").statusCode()).isEqualTo(202);

        LoopsStandIn.Request request = awaitLoopsRequests(id, 1).get(0);
        assertThat(request.headers().entrySet()).filteredOn(h -> h.getKey().equalsIgnoreCase("Idempotency-Key"))
                .singleElement().satisfies(h -> assertThat(h.getValue()).containsExactly("dodo-" + id));
        assertThat(request.header("X-Injected")).isNull();
    }

    /** Headers the bridge puts on a stored webhook (replay count, dead-letter labels) cannot come from the request. */
    @Test
    void headersNamedLikeTheBridgesOwnAreNotStoredWithTheWebhook() throws Exception {
        String id = newWebhookId();
        byte[] body = sample("payment.succeeded");
        HttpRequest request = signedRequest(id, body)
                .header("DodoReplayCount", "7")
                .header("DodoReplayedAt", "2026-01-01T00:00:00Z")
                .header("DodoReceivedAt", "0")
                .header("DeadLetterLoopsStatus", "401")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();

        assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);

        LoopsStandIn.Request sent = awaitLoopsRequests(id, 1).get(0);
        assertThat(sent.header("Idempotency-Key")).isEqualTo("dodo-" + id);
    }

    @Test
    void aWebhookIdOf255CharactersIsAcceptedAndHashedIntoAnIdempotencyKeyLoopsTakes() {
        String id = "msg_" + "x".repeat(251);

        assertThat(deliverSample(id, "payment.succeeded").statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(20)).until(() -> LOOPS.requests().stream()
                .anyMatch(r -> r.body().contains("pay_2IjeQm4hqU6RA4Z4kwDee") && isHashedKey(r.header("Idempotency-Key"))));
    }

    @Test
    void aHeaderFoldedOverTwoLinesIsRefusedAndNothingIsStored() throws Exception {
        String id = newWebhookId();
        byte[] body = sample("payment.succeeded");
        long now = Instant.now().getEpochSecond();
        // obs-fold: a CR LF and a space inside the webhook-id header, smuggling a second header into its value.
        String folded = id + "\r\n Idempotency-Key: dodo-stolen";
        String head = "POST /webhooks/dodo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nwebhook-id: " + folded + "\r\nwebhook-timestamp: " + now
                + "\r\nwebhook-signature: " + SendSample.signature(SECRET, id + " Idempotency-Key: dodo-stolen", now, body)
                + "\r\nConnection: close\r\n\r\n";

        RawAnswer answer = raw(head.getBytes(StandardCharsets.US_ASCII), body);

        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertNoInternals(answer.body());
        assertNotStored(id);
        assertThat(LOOPS.requests()).noneMatch(r -> "dodo-stolen".equals(r.header("Idempotency-Key")));
    }

    @Test
    void aBodyOverOneMebibyteIs413WithoutBeingRead() {
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMegabytes, (byte) ' ');
        String id = newWebhookId();
        long now = Instant.now().getEpochSecond();
        String signature = SendSample.signature(SECRET, id, now, tenMegabytes);

        assertRefused(send(id, Long.toString(now), signature, tenMegabytes, "application/json"), 413,
                "body larger than 1048576 bytes", id);
    }

    @Test
    void aChunkedBodyOverOneMebibyteIs413Too() throws Exception {
        byte[] tenMegabytes = new byte[10 * 1024 * 1024];
        Arrays.fill(tenMegabytes, (byte) ' ');
        String id = newWebhookId();
        HttpRequest request = signedRequest(id, tenMegabytes)
                // No length known in advance: sent chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tenMegabytes)))
                .build();

        assertRefused(HTTP.send(request, HttpResponse.BodyHandlers.ofString()), 413, "body larger than 1048576 bytes", id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void anyMethodButPostIs405WithAllowPost(String method) throws Exception {
        String id = newWebhookId();
        byte[] body = sample("payment.succeeded");
        HttpRequest request = signedRequest(id, body).method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build();

        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

        assertRefused(response, 405, "method " + method + " not allowed", id);
        assertThat(response.headers().allValues("Allow")).containsExactly("POST");
    }

    @Test
    void aDodoRetryIsAcknowledgedAsADuplicateAndSentOnce() {
        String id = newWebhookId();

        assertAnswer(deliverSample(id, "payment.succeeded"), 202, "{\"status\":\"accepted\",\"webhookId\":\"" + id + "\"}");
        awaitLoopsRequests(id, 1);
        assertAnswer(deliverSample(id, "payment.succeeded"), 202, "{\"status\":\"duplicate\",\"webhookId\":\"" + id + "\"}");

        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> LOOPS.requestsFor(id).size() == 1);
    }

    // --- what docs/security.md says is not checked, or must come through intact ----------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/octet-stream"})
    void theContentTypeIsNotChecked(String contentType) {
        String id = newWebhookId();
        byte[] body = sample("payment.succeeded");
        long now = Instant.now().getEpochSecond();

        HttpResponse<String> response = send(id, Long.toString(now), SendSample.signature(SECRET, id, now, body), body,
                contentType);

        assertAnswer(response, 202, "{\"status\":\"accepted\",\"webhookId\":\"" + id + "\"}");
        assertThat(awaitLoopsRequests(id, 1).get(0).json().at("/eventProperties/payment_id").asText())
                .isEqualTo("pay_2IjeQm4hqU6RA4Z4kwDee");
    }

    @Test
    void unicodeNamesAndEmailsReachLoopsIntactAndAreMaskedInTheLog(CapturedOutput output) {
        String id = newWebhookId();
        String cjkId = newWebhookId();

        deliver(id, paymentSucceeded(customer -> customer.put("name", "José Müller-Łukasz 👩‍💻")
                .put("email", "josé.müller@exämple.de")));
        deliver(cjkId, paymentSucceeded(customer -> customer.put("name", "山田 太郎").put("email", "山田@例え.jp")));

        JsonNode sent = awaitLoopsRequests(id, 1).get(0).json();
        assertThat(sent.at("/email").asText()).isEqualTo("josé.müller@exämple.de");
        assertThat(sent.at("/eventProperties/customer_name").asText()).isEqualTo("José Müller-Łukasz 👩‍💻");
        JsonNode cjk = awaitLoopsRequests(cjkId, 1).get(0).json();
        assertThat(cjk.at("/email").asText()).isEqualTo("山田@例え.jp");
        assertThat(cjk.at("/eventProperties/customer_name").asText()).isEqualTo("山田 太郎");

        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains(cjkId + " -> payment_confirmation"));
        assertThat(output.getAll())
                .contains("j***@exämple.de").contains("山***@例え.jp")
                .doesNotContain("josé.müller@exämple.de").doesNotContain("山田@例え.jp");
    }

    @ParameterizedTest
    @CsvSource({"JPY, 1500, 1500", "KWD, 1234, 1.234", "BHD, 500, 0.500", "USD, 400, 4.00", "USD, 0, 0.00"})
    void amountsAreFormattedWithTheCurrencysOwnDecimals(String currency, long totalAmount, String expected) {
        String id = newWebhookId();
        ObjectNode payment = (ObjectNode) json(sample("payment.succeeded"));
        ((ObjectNode) payment.get("data")).put("currency", currency).put("total_amount", totalAmount);

        assertThat(deliver(id, bytes(payment)).statusCode()).isEqualTo(202);

        JsonNode properties = awaitLoopsRequests(id, 1).get(0).json().get("eventProperties");
        assertThat(properties.get("amount").asText()).isEqualTo(expected);
        assertThat(properties.get("currency").asText()).isEqualTo(currency);
    }

    @Test
    void aCustomerWithoutANameGetsAnEmptyCustomerName() {
        String id = newWebhookId();

        assertThat(deliver(id, paymentSucceeded(customer -> customer.putNull("name"))).statusCode()).isEqualTo(202);

        JsonNode sent = awaitLoopsRequests(id, 1).get(0).json();
        assertThat(sent.at("/eventProperties/customer_name").isTextual()).isTrue();
        assertThat(sent.at("/eventProperties/customer_name").asText()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"something.new", "dispute.opened", "PAYMENT.SUCCEEDED", "payment.succeeded "})
    void anEventTypeWithoutATransformIsAcceptedAndNeverSent(String type, CapturedOutput output) {
        String id = newWebhookId();
        ObjectNode event = (ObjectNode) json(sample("payment.succeeded"));
        event.put("type", type);

        assertAnswer(deliver(id, bytes(event)), 202, "{\"status\":\"accepted\",\"webhookId\":\"" + id + "\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> output.getAll()
                .contains(type + " webhook " + id + ": no transform for this event type, acknowledged without sending"));
        assertThat(LOOPS.requestsFor(id)).isEmpty();
        assertThat(deadLetter(id)).isNull();
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** A JSON webhook request to the bridge, correctly signed for {@code body}; method and body still to set. */
    private HttpRequest.Builder signedRequest(String id, byte[] body) {
        long now = Instant.now().getEpochSecond();
        return HttpRequest.newBuilder(webhookUrl())
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(now))
                .header("webhook-signature", SendSample.signature(SECRET, id, now, body));
    }

    private HttpResponse<String> send(String id, String timestamp, String signature, byte[] body, String contentType) {
        HttpRequest request = HttpRequest.newBuilder(webhookUrl())
                .header("Content-Type", contentType)
                .header("webhook-id", id)
                .header("webhook-timestamp", timestamp)
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    record RawAnswer(int status, String text, String body) {
    }

    /** Writes bytes as they are to the webhook port (the JDK client would refuse them), then reads the whole answer. */
    private RawAnswer raw(byte[]... parts) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            for (byte[] part : parts) {
                out.write(part);
            }
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                in.transferTo(answer);
            } catch (IOException reset) {
                // The server may reset the connection after answering.
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return new RawAnswer(0, "", "");
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyStart = text.indexOf("\r\n\r\n");
            return new RawAnswer(status, text, bodyStart < 0 ? "" : text.substring(bodyStart + 4));
        }
    }

    private void assertRefused(HttpResponse<String> response, int status, String reason, String id) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.body()).startsWith("{\"error\":\"").endsWith("\"}").contains(reason);
        assertNoInternals(response.body());
        assertNotStored(id);
    }

    private static void assertAnswer(HttpResponse<String> response, int status, String body) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.body()).isEqualTo(body);
    }

    private static void assertNoInternals(String body) {
        assertThat(body).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("java.")
                .doesNotContain("org.apache").doesNotContain("springframework").doesNotContain("io.dodoloops")
                .doesNotContainIgnoringCase("tomcat");
    }

    /** Never stored: the broker has not seen the id, so it is neither sent nor dead-lettered, now or later. */
    private void assertNotStored(String id) {
        assertThat(stored.contains(id)).as("stored %s", id).isFalse();
        assertThat(LOOPS.requestsFor(id)).isEmpty();
        assertThat(deadLetter(id)).isNull();
    }

    private static boolean isHashedKey(String key) {
        return key != null && key.matches("dodo-sha256-[0-9a-f]{64}");
    }

    private static byte[] paymentSucceeded(java.util.function.Consumer<ObjectNode> customer) {
        ObjectNode payment = (ObjectNode) json(sample("payment.succeeded"));
        customer.accept((ObjectNode) payment.get("data").get("customer"));
        return bytes(payment);
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
