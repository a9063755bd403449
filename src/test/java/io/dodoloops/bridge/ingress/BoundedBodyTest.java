package io.dodoloops.bridge.ingress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The public port reads request bodies within its limits whatever the path is called: one size limit per body (with
 * or without a Content-Length), one budget for all bodies in flight, and one deadline for the whole body. Small limits
 * here (64 KiB per body, 160 KiB in all, 1 s) stand for the defaults (1 MB, 32 MB, 10 s).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BoundedBodyTest {

    private static final int LIMIT = 64 * 1024;
    private static final int BUDGET = 160 * 1024;
    /** What the loopback socket buffers can hold between the client and a server that stopped reading. */
    private static final long SOCKET_BUFFERS = 24L * 1024 * 1024;

    private final String secret = WebhookSecrets.generate(new SecureRandom());
    private LoopsStandIn loops;
    private RunningBridge bridge;
    private int port;

    @BeforeAll
    void start() throws IOException {
        loops = LoopsStandIn.start();
        bridge = RunningBridge.start(Map.of(
                "bridge.data-dir", Files.createTempDirectory("bounded-body").toString(),
                "bridge.webhook.secret", secret,
                "bridge.loops.api-key", "test-loops-key",
                "bridge.loops.base-url", loops.baseUrl(),
                "bridge.webhook.max-body-size", LIMIT + "B",
                "bridge.webhook.body-buffer-limit", BUDGET + "B",
                "bridge.webhook.body-read-timeout", "1s"));
        port = bridge.webhookUrl().getPort();
    }

    @AfterAll
    void stop() {
        bridge.close();
        loops.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/dodo", "/webhooks/DODO", "/webhooks/Dodo/", "/webhooks/dodo/", "//webhooks/dodo",
            "/webhooks//dodo", "/webhooks/dodo;x=1", "/webhooks/./dodo", "/webhooks/%64odo", "/somewhere/else", "/"})
    void anEndlessChunkedBodyIs413AfterTheLimitWhateverThePathIsCalled(String path) throws Exception {
        long offered = 256L * 1024 * 1024;

        Upload upload = Upload.chunked(port, path, offered);

        assertThat(upload.status()).as(upload.answer()).isEqualTo(413);
        assertThat(upload.answer()).contains("{\"error\":\"body larger than " + LIMIT + " bytes\"}");
        assertThat(upload.sent()).as("bytes the bridge let in before answering").isLessThan(LIMIT + SOCKET_BUFFERS);
        assertStillAcceptsWebhooks();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/webhooks/DODO", "/webhooks/dodo/", "/webhooks/dodo;x=1"})
    void aDeclaredLengthOverTheLimitIs413BeforeAnyOfTheBodyIsRead(String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(head(path, "Content-Length: " + (300L * 1024 * 1024)));

            String answer = readAnswer(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 413").contains("body larger than " + LIMIT + " bytes");
        }
    }

    @Test
    void bodiesInFlightShareOneBudgetAndTheOneOverItIs503() throws Exception {
        // Two bodies that have declared 64 KiB each and are still arriving hold 128 KiB of the 160 KiB.
        try (Socket first = holdOpen(LIMIT, LIMIT); Socket second = holdOpen(LIMIT, 2 * LIMIT);
             Socket third = new Socket("127.0.0.1", port)) {
            third.setSoTimeout(10_000);
            third.getOutputStream().write(head("/webhooks/dodo", "Content-Length: " + LIMIT));

            String answer = readAnswer(third.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 503").contains("Retry-After: 1")
                    .contains("too many request bodies in flight; retry later");
        }
        // Once they are answered (here: cut off), the budget is free again.
        assertStillAcceptsWebhooks();
    }

    @Test
    void aChunkedBodyThatWouldOverrunTheBudgetIs503() throws Exception {
        try (Socket first = holdOpen(LIMIT, LIMIT); Socket second = holdOpen(LIMIT, 2 * LIMIT)) {
            Upload upload = Upload.chunked(port, "/webhooks/dodo", LIMIT - 1);

            assertThat(upload.status()).as(upload.answer()).isEqualTo(503);
        }
        assertStillAcceptsWebhooks();
    }

    @Test
    void aBodySentTooSlowlyIsCutOffAtTheReadDeadlineWith408() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head("/webhooks/dodo", "Content-Length: 1000"));
            long started = System.nanoTime();
            String answer = null;
            // One byte every 100 ms: each read is quick, the whole body would take 100 s.
            for (int i = 0; i < 1000 && answer == null; i++) {
                try {
                    out.write('x');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(100);
                if (socket.getInputStream().available() > 0) {
                    answer = readAnswer(socket.getInputStream());
                }
            }
            if (answer == null) {
                answer = readAnswer(socket.getInputStream());
            }

            assertThat(answer).startsWith("HTTP/1.1 408").contains("body not received within 1000 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
        assertStillAcceptsWebhooks();
    }

    @Test
    void aBodyWithinTheLimitsStillReachesTheRoute() {
        assertStillAcceptsWebhooks();
        // The filter frees a body's share just after its answer is written, so the client may see the 202 first.
        await().atMost(Duration.ofSeconds(5)).until(() -> bridge.bean(BoundedBodyFilter.class).bufferedBytes() == 0);
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private void assertStillAcceptsWebhooks() {
        String id = "msg_" + java.util.UUID.randomUUID();
        try {
            byte[] body = Files.readAllBytes(java.nio.file.Path.of("src/main/resources/samples/dodo/payment.succeeded.json"));
            assertThat(SendSample.post(bridge.webhookUrl(), secret, id, java.time.Instant.now().getEpochSecond(), body)
                    .statusCode()).isEqualTo(202);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A request that declares {@code length} bytes, sends one, and then waits: its share of the budget stays taken.
     * Returns once the bridge holds {@code held} bytes of the budget in all, i.e. has reserved this one too.
     */
    private Socket holdOpen(int length, int held) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.getOutputStream().write(head("/webhooks/dodo", "Content-Length: " + length));
        socket.getOutputStream().write('{');
        socket.getOutputStream().flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (bridge.bean(BoundedBodyFilter.class).bufferedBytes() < held && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return socket;
    }

    private static byte[] head(String path, String framing) {
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + framing
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.UTF_8);
                if (text.contains("\r\n\r\n") && text.endsWith("}")) {
                    break;
                }
            }
        } catch (IOException reset) {
            // the bridge may close the connection right after its answer
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    /** A chunked upload written on one thread while the answer is read on another, as a real client would. */
    public record Upload(String answer, long sent) {

        public int status() {
            return answer.length() >= 12 ? Integer.parseInt(answer.substring(9, 12)) : 0;
        }

        public static Upload chunked(int port, String path, long bytes) throws Exception {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(head(path, "Transfer-Encoding: chunked"));
                AtomicLong sent = new AtomicLong();
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    byte[] chunk = new byte[64 * 1024];
                    java.util.Arrays.fill(chunk, (byte) ' ');
                    byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    try {
                        while (sent.get() < bytes) {
                            int n = (int) Math.min(chunk.length, bytes - sent.get());
                            out.write(n == chunk.length ? size : (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                            out.write(chunk, 0, n);
                            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                            sent.addAndGet(n);
                        }
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } catch (IOException closedByTheBridge) {
                        // expected once the bridge has answered
                    }
                });
                String answer = readAnswer(socket.getInputStream());
                long atAnswer = sent.get();
                socket.close();
                writer.get(30, TimeUnit.SECONDS);
                return new Upload(answer, atAnswer);
            }
        }
    }
}
