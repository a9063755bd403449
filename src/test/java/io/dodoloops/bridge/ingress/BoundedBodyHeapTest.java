package io.dodoloops.bridge.ingress;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.dodoloops.bridge.reliability.BridgeProcess;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attack that used to fill the heap: many concurrent endless chunked bodies at spellings of the webhook path, on a
 * bridge with a small heap (the broker shares it). Each is cut off after the size limit, the bodies in flight stay
 * within the budget, and the bridge goes on accepting webhooks without an OutOfMemoryError.
 */
class BoundedBodyHeapTest {

    private static final long OFFERED = 300L * 1024 * 1024;

    @TempDir
    Path dataDir;

    @Test
    void concurrentEndlessBodiesAtEverySpellingLeaveA128MbBridgeServing() throws Exception {
        String secret = WebhookSecrets.generate(new SecureRandom());
        try (BridgeProcess bridge = BridgeProcess.start(dataDir, Map.of("bridge.webhook.secret", secret),
                List.of("-Xmx128m", "-XX:+UseSerialGC")).awaitReady()) {
            int port = bridge.webhookUrl().getPort();
            List<String> paths = List.of("/webhooks/DODO", "/webhooks/dodo/", "/webhooks/Dodo/", "/webhooks/dodo",
                    "//webhooks/dodo", "/webhooks/dodo;a=b", "/webhooks/%64odo", "/x");
            ExecutorService attackers = Executors.newFixedThreadPool(24);
            try {
                List<Future<BoundedBodyTest.Upload>> uploads = new ArrayList<>();
                for (int i = 0; i < 48; i++) {
                    String path = paths.get(i % paths.size());
                    uploads.add(attackers.submit(() -> BoundedBodyTest.Upload.chunked(port, path, OFFERED)));
                }
                for (Future<BoundedBodyTest.Upload> upload : uploads) {
                    BoundedBodyTest.Upload done = upload.get();
                    // 413 past the limit, or 503 while the budget is held by the others.
                    assertThat(done.status()).as(done.answer()).isIn(413, 503);
                    assertThat(done.sent()).isLessThan(64L * 1024 * 1024);
                }
            } finally {
                attackers.shutdownNow();
            }

            String id = "msg_heap_" + System.nanoTime();
            byte[] body = Files.readAllBytes(Path.of("src/main/resources/samples/dodo/payment.succeeded.json"));
            assertThat(SendSample.post(bridge.webhookUrl(), secret, id, Instant.now().getEpochSecond(), body).statusCode())
                    .isEqualTo(202);
            assertThat(bridge.log()).doesNotContain("OutOfMemoryError");
        }
    }
}
