package io.dodoloops.bridge.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.dodoloops.bridge.tryit.SendSample;

/**
 * Dodo sending many webhooks at once from several connections, each signed as {@link SendSample} signs it. A send
 * that gets no HTTP answer (the bridge died, refused the connection) is recorded as such: Dodo would retry it.
 */
public final class DodoSender {

    /** One webhook as Dodo sends it; the same id twice is a Dodo retry. */
    public record Webhook(String id, String eventType, byte[] body) {
    }

    /** What one send got: an HTTP status, or no answer at all ({@code status} 0, {@code failure} set). */
    public record Outcome(Webhook webhook, int status, String body, String failure) {
        public boolean accepted() {
            return status / 100 == 2;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String secret;

    public DodoSender(String secret) {
        this.secret = secret;
    }

    public Outcome send(URI url, Webhook webhook) {
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("webhook-id", webhook.id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", SendSample.signature(secret, webhook.id(), timestamp, webhook.body()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(webhook.body()))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Outcome(webhook, response.statusCode(), response.body(), null);
        } catch (IOException e) {
            return new Outcome(webhook, 0, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends every webhook once, in order, from {@code senders} concurrent connections; {@code afterEach} sees each
     * outcome as it comes (e.g. to kill the bridge after so many). The outcomes come back in the order of the list.
     */
    public List<Outcome> sendAll(URI url, List<Webhook> webhooks, int senders, Consumer<Outcome> afterEach) {
        Outcome[] outcomes = new Outcome[webhooks.size()];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                running.add(pool.submit(() -> {
                    for (int n; (n = next.getAndIncrement()) < webhooks.size(); ) {
                        outcomes[n] = send(url, webhooks.get(n));
                        afterEach.accept(outcomes[n]);
                    }
                }));
            }
            for (Future<?> sender : running) {
                sender.get(2, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new IllegalStateException("sending failed", e);
        } finally {
            pool.shutdownNow();
        }
        return List.of(outcomes);
    }

    public static byte[] sample(String eventType) {
        try {
            return SendSample.sample(eventType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
