package io.dodoloops.bridge.loops;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one Loops client keeps LOOPS_RATE_LIMIT between the requests themselves, as they reach Loops: requests sent at
 * once by several consumers arrive one interval apart, a request that stalls after its turn cannot put one too many
 * into a second, and the preflight's reads wait their turn like delivery's sends.
 */
class LoopsClientTest {

    private static final long SPACING_MICROS = 210_000; // 5/s with the 5 % headroom: wide enough that loopback jitter cannot blur it
    private static final int PER_SECOND = 5;

    @Test
    void requestsReleasedTogetherReachLoopsOneSpacingApart() throws Exception {
        ExecutorService consumers = Executors.newFixedThreadPool(4);
        try (LoopsStandIn loops = LoopsStandIn.start(); CloseableHttpClient client = loopsClient()) {
            CountDownLatch released = new CountDownLatch(1);
            List<Future<Integer>> sends = IntStream.range(0, 4).mapToObj(i -> consumers.submit(() -> {
                released.await();
                HttpPost post = new HttpPost(loops.baseUrl() + "/v1/events/send");
                post.setHeader("Idempotency-Key", "spacing-" + i);
                post.setEntity(new StringEntity("{\"email\":\"a@example.com\",\"eventName\":\"x\"}", ContentType.APPLICATION_JSON));
                return client.execute(post, response -> response.getCode());
            })).toList();
            released.countDown();
            for (Future<Integer> send : sends) {
                assertThat(send.get()).isEqualTo(200);
            }

            assertOneSpacingApart(loops.requests().stream(), 4);
        } finally {
            consumers.shutdownNow();
        }
    }

    /**
     * A send that stalls after its turn (here: its body takes 800 ms to start) leaves late, and the ones after it on
     * time; Loops would count six in one second. The client holds the later ones back until the oldest of the last
     * five written is a second old.
     */
    @Test
    void aRequestThatStallsAfterItsTurnDoesNotPutOneTooManyIntoASecond() throws Exception {
        ExecutorService consumers = Executors.newFixedThreadPool(8);
        try (LoopsStandIn loops = LoopsStandIn.start(); CloseableHttpClient client = loopsClient()) {
            List<Future<Integer>> sends = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                sends.add(consumers.submit(() -> {
                    HttpPost post = new HttpPost(loops.baseUrl() + "/v1/events/send");
                    post.setHeader("Idempotency-Key", "stall-" + n);
                    StringEntity body = new StringEntity("{\"email\":\"a@example.com\",\"eventName\":\"x\"}", ContentType.APPLICATION_JSON);
                    post.setEntity(n > 0 ? body : new org.apache.hc.core5.http.io.entity.HttpEntityWrapper(body) {
                        @Override
                        public void writeTo(java.io.OutputStream out) throws java.io.IOException {
                            pause(800);
                            super.writeTo(out);
                        }
                    });
                    return client.execute(post, response -> response.getCode());
                }));
                pause(20); // the stalled one takes the first turn
            }
            for (Future<Integer> send : sends) {
                assertThat(send.get()).isEqualTo(200);
            }

            long[] arrivals = loops.requests().stream().mapToLong(LoopsStandIn.Request::atMillis).sorted().toArray();
            assertThat(arrivals).hasSize(8);
            for (int i = PER_SECOND; i < arrivals.length; i++) {
                assertThat(arrivals[i] - arrivals[i - PER_SECOND]).as("ms from request %d to request %d", i - PER_SECOND + 1, i + 1)
                        .isGreaterThanOrEqualTo(1000);
            }
        } finally {
            consumers.shutdownNow();
        }
    }

    /** The preflight's reads and delivery's sends share one limit: neither can crowd the other into a second. */
    @Test
    void readsWaitTheirTurnLikeSends() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try (LoopsStandIn loops = LoopsStandIn.start();
             LoopsClient client = new LoopsClient(TestSettings.bind("bridge.loops", LoopsProperties.class, Map.of(
                     "bridge.loops.api-key", "k", "bridge.loops.base-url", loops.baseUrl(), "bridge.loops.rate-limit", PER_SECOND)))) {
            loops.apiKeys("k");
            CountDownLatch released = new CountDownLatch(1);
            List<Future<Integer>> calls = IntStream.range(0, 6).mapToObj(i -> callers.submit(() -> {
                released.await();
                return i % 2 == 0
                        ? client.get("/v1/api-key", response -> response.getCode())
                        : client.post("/v1/events/send", "read-" + i, "{\"email\":\"a@example.com\",\"eventName\":\"x\"}",
                                response -> response.getCode());
            })).toList();
            released.countDown();
            for (Future<Integer> call : calls) {
                assertThat(call.get()).isEqualTo(200);
            }

            assertOneSpacingApart(java.util.stream.Stream.concat(loops.requests().stream(), loops.reads().stream()), 6);
        } finally {
            callers.shutdownNow();
        }
    }

    /** Loopback jitter may shorten one gap a little, never to less than three quarters of the spacing. */
    private static void assertOneSpacingApart(java.util.stream.Stream<LoopsStandIn.Request> calls, int count) {
        long[] arrivals = calls.mapToLong(LoopsStandIn.Request::atMillis).sorted().toArray();
        assertThat(arrivals).hasSize(count);
        for (int i = 1; i < arrivals.length; i++) {
            assertThat(arrivals[i] - arrivals[i - 1]).as("milliseconds between Loops calls %d and %d", i, i + 1)
                    .isGreaterThanOrEqualTo(SPACING_MICROS / 1000 * 3 / 4);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CloseableHttpClient loopsClient() {
        return new LoopsClient(TestSettings.bind("bridge.loops", LoopsProperties.class, Map.of("bridge.loops.api-key", "test-key",
                "bridge.loops.base-url", "http://127.0.0.1/api", "bridge.loops.rate-limit", PER_SECOND))).http();
    }
}
