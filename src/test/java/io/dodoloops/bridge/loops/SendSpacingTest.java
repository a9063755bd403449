package io.dodoloops.bridge.loops;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.metrics.BridgeCounters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Loops HTTP client keeps the rate limit's spacing between the requests themselves: the route's throttle may
 * release several at once (a send that stalled after its release, then the next ones on time), Loops still sees them
 * one interval apart.
 */
class SendSpacingTest {

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

            long[] arrivals = loops.requests().stream().mapToLong(LoopsStandIn.Request::atMillis).sorted().toArray();
            assertThat(arrivals).hasSize(4);
            for (int i = 1; i < arrivals.length; i++) {
                assertThat(arrivals[i] - arrivals[i - 1]).as("milliseconds between Loops requests %d and %d", i, i + 1)
                        .isGreaterThanOrEqualTo(SPACING_MICROS / 1000 * 3 / 4);
            }
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

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CloseableHttpClient loopsClient() {
        HttpClientBuilder builder = HttpClientBuilder.create();
        new LoopsConfiguration().loopsHttpClient("test-key", "http://127.0.0.1/api", SPACING_MICROS, PER_SECOND, new BridgeCounters()).configureHttpClient(builder);
        return builder.build();
    }
}
