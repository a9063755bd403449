package io.dodoloops.bridge.queue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.BridgeApplication;
import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the bridge process: a webhook answered 202 is on disk, and one whose Loops call was in flight is sent
 * again with the same Idempotency-Key (Loops answers 409: no second email) instead of being lost.
 */
class CrashRecoveryTest {

    private final String secret = WebhookSecrets.generate(new SecureRandom());
    private final Map<Process, Integer> ports = new HashMap<>();

    @Test
    void webhooksAcceptedBeforeAKill9AreDeliveredByTheNextProcess() throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-crash");
        int loopsPort = freePort();
        List<String> ids = new ArrayList<>();

        Process first = startBridge(dataDir, loopsPort);
        try {
            URI url = awaitReady(first);
            for (String type : List.of("payment.succeeded", "subscription.active", "payment.failed")) {
                String id = "msg_" + UUID.randomUUID();
                assertThat(SendSample.post(url, secret, id, Instant.now().getEpochSecond(), SendSample.sample(type))
                        .statusCode()).isEqualTo(202);
                ids.add(id);
            }
        } finally {
            first.destroyForcibly().waitFor();
        }

        try (LoopsStandIn loops = LoopsStandIn.start(loopsPort)) {
            Process second = startBridge(dataDir, loopsPort);
            try {
                awaitReady(second);
                for (String id : ids) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> loops.requestsFor(id).size() == 1);
                }
            } finally {
                second.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aLoopsCallInFlightDuringAKill9IsRepeatedWithTheSameIdempotencyKey() throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-crash");
        String id = "msg_" + UUID.randomUUID();
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            int loopsPort = URI.create(loops.baseUrl()).getPort();
            loops.answerAfter(60_000);
            Process first = startBridge(dataDir, loopsPort);
            try {
                URI url = awaitReady(first);
                SendSample.post(url, secret, id, Instant.now().getEpochSecond(), SendSample.sample("payment.succeeded"));
                await().atMost(Duration.ofSeconds(30)).until(() -> loops.requestsFor(id).size() == 1);
            } finally {
                first.destroyForcibly().waitFor();
            }

            loops.answerAfter(0);
            Path log = dataDir.resolve("bridge.log");
            Process second = startBridge(dataDir, loopsPort);
            try {
                awaitReady(second);
                await().atMost(Duration.ofSeconds(30)).until(() -> loops.requestsFor(id).size() == 2);
                assertThat(loops.requestsFor(id)).extracting(r -> r.header("Idempotency-Key"))
                        .containsOnly("dodo-" + id);
                // Loops answered 409 to the repeat: the bridge takes that as sent, not as a failure.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Files.readString(log).contains("already sent earlier (Loops 409 on our Idempotency-Key)"));
            } finally {
                second.destroyForcibly().waitFor();
            }
            assertThat(Files.readString(log)).doesNotContain("Dead-lettered");
        }
    }

    /** The bridge in a JVM of its own, so it can be killed like a real process. */
    private Process startBridge(Path dataDir, int loopsPort) throws IOException {
        int port = freePort();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, BridgeApplication.class.getName(),
                "--server.port=" + port,
                "--management.server.port=0",
                "--bridge.data-dir=" + dataDir,
                "--bridge.webhook.secret=" + secret,
                "--bridge.loops.api-key=test-loops-key",
                "--bridge.loops.base-url=http://127.0.0.1:" + loopsPort + "/api",
                "--bridge.delivery.retries=1",
                "--bridge.delivery.retry-delay-ms=50",
                "--bridge.delivery.broker-redelivery-delay=200ms",
                "--bridge.delivery.broker-redelivery-max-delay=500ms");
        File log = dataDir.resolve("bridge.log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
        ports.put(process, port);
        return process;
    }

    /** Waits until the webhook route answers (405 to a GET), which is after the broker and the routes started. */
    private URI awaitReady(Process process) {
        URI url = URI.create("http://127.0.0.1:" + ports.get(process) + "/webhooks/dodo");
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            assertThat(process.isAlive()).as("bridge process running").isTrue();
            return http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 405;
        });
        return url;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
