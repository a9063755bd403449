package io.dodoloops.bridge.tryit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a sample Dodo webhook the way Dodo does (Standard Webhooks) and POSTs it to a running bridge.
 * JDK only, so it runs without a build:
 * <pre>java src/test/java/io/dodoloops/bridge/tryit/SendSample.java [event-type] [bridge-url] [webhook-id]</pre>
 * The secret is DODO_WEBHOOK_SECRET, or else the development secret the bridge stored in data/dev-webhook-secret
 * (BRIDGE_DATA_DIR when set). The tests use it as their Dodo.
 */
public final class SendSample {

    public static final Path SAMPLES = Path.of("src/main/resources/samples/dodo");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SendSample() {
    }

    public static void main(String[] args) throws Exception {
        String type = args.length > 0 ? args[0] : "payment.succeeded";
        String url = args.length > 1 ? args[1] : "http://localhost:" + env("SERVER_PORT", "8080") + "/webhooks/dodo";
        Path sample = SAMPLES.resolve(type + ".json");
        if (!Files.exists(sample)) {
            System.err.println("No sample for event type '" + type + "' in " + SAMPLES);
            System.exit(2);
        }
        // A fixed id sent twice is what a Dodo retry looks like.
        String id = args.length > 2 ? args[2] : "msg_" + UUID.randomUUID().toString().replace("-", "");
        HttpResponse<String> response = post(URI.create(url), secret(), id, Instant.now().getEpochSecond(), sample(type));
        System.out.println("POST " + url + " " + type + " webhook-id " + id + " -> " + response.statusCode() + " " + response.body());
        System.exit(response.statusCode() / 100 == 2 ? 0 : 1);
    }

    /** The sample body Dodo would send for this event type, byte for byte. */
    public static byte[] sample(String eventType) throws IOException {
        return Files.readAllBytes(SAMPLES.resolve(eventType + ".json"));
    }

    /** Signs and posts {@code body}; the status and body of the bridge's answer come back. */
    public static HttpResponse<String> post(URI url, String secret, String id, long timestamp, byte[] body)
            throws IOException, InterruptedException {
        return send(url, id, Long.toString(timestamp), signature(secret, id, timestamp, body), body);
    }

    /** Posts with the given headers as they are (null leaves one out), for requests that should be refused. */
    public static HttpResponse<String> send(URI url, String id, String timestamp, String signature, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (id != null) {
            request.header("webhook-id", id);
        }
        if (timestamp != null) {
            request.header("webhook-timestamp", timestamp);
        }
        if (signature != null) {
            request.header("webhook-signature", signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">} with the key inside {@code whsec_<base64>}. */
    public static String signature(String secret, String id, long timestamp, byte[] body) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.trim().replaceFirst("^whsec_", ""));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String secret() throws IOException {
        String configured = System.getenv("DODO_WEBHOOK_SECRET");
        if (configured != null && !configured.isBlank()) {
            return configured.trim().split("[\\s,]+")[0];
        }
        Path file = Path.of(env("BRIDGE_DATA_DIR", "data"), "dev-webhook-secret");
        if (!Files.exists(file)) {
            System.err.println("Set DODO_WEBHOOK_SECRET, or start the bridge once so it creates " + file);
            System.exit(2);
        }
        return Files.readString(file).trim();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
