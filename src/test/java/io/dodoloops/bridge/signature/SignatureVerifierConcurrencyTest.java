package io.dodoloops.bridge.signature;

import static io.dodoloops.bridge.signature.TestSignatures.utf8;
import static io.dodoloops.bridge.signature.TestSignatures.v1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One verifier serves every request thread, so concurrent verifications must not disturb each other. */
class SignatureVerifierConcurrencyTest {

    private static final String OLD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String NEW_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    private static final long NOW = 1_754_286_199;
    private static final int THREADS = 16;
    private static final int WEBHOOKS_PER_THREAD = 2_000;

    private record Webhook(String id, String signature, byte[] body, boolean genuine) {
    }

    @Test
    void manyThreadsVerifyingAtOnceEachGetTheRightOutcome() throws Exception {
        SignatureVerifier verifier = new SignatureVerifier(WebhookSecrets.parse(OLD_SECRET + " " + NEW_SECRET),
                Duration.ofMinutes(5), Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<Webhook> webhooks = webhooksForThread(t);
                results.add(pool.submit(() -> {
                    start.await();
                    return verifyAll(verifier, webhooks);
                }));
            }
            start.countDown();

            for (Future<int[]> result : results) {
                int[] correctAndWrong = result.get();
                assertThat(correctAndWrong[1]).as("verifications with the wrong outcome").isZero();
                assertThat(correctAndWrong[0]).isEqualTo(WEBHOOKS_PER_THREAD);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Varied bodies and both secrets, one webhook in three tampered, so a shared Mac would corrupt results. */
    private static List<Webhook> webhooksForThread(int thread) {
        List<Webhook> webhooks = new ArrayList<>();
        for (int i = 0; i < WEBHOOKS_PER_THREAD; i++) {
            String id = "msg_" + thread + "_" + i;
            byte[] body = utf8("{\"thread\":" + thread + ",\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 97) + "\"}");
            String signature = v1(i % 2 == 0 ? OLD_SECRET : NEW_SECRET, id, NOW, body);
            boolean genuine = i % 3 != 0;
            if (!genuine) {
                body = body.clone();
                body[body.length - 3] ^= 1;
            }
            webhooks.add(new Webhook(id, signature, body, genuine));
        }
        return webhooks;
    }

    private static int[] verifyAll(SignatureVerifier verifier, List<Webhook> webhooks) {
        int correct = 0;
        int wrong = 0;
        for (Webhook webhook : webhooks) {
            boolean accepted;
            try {
                verifier.verify(webhook.id(), Long.toString(NOW), webhook.signature(), webhook.body());
                accepted = true;
            } catch (SignatureRejectedException e) {
                accepted = false;
            }
            if (accepted == webhook.genuine()) {
                correct++;
            } else {
                wrong++;
            }
        }
        return new int[] {correct, wrong};
    }
}
