package io.dodoloops.bridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Secrets never reach a log line, and customer emails appear only masked. */
@ExtendWith(OutputCaptureExtension.class)
class LogHygieneTest extends BridgeTest {

    @Test
    void logsMaskEmailsAndNeverShowTheWebhookSecretOrTheLoopsKey(CapturedOutput output) {
        String sent = newWebhookId();
        String retried = newWebhookId();
        String deadLettered = newWebhookId();
        LOOPS.script("dodo-" + retried, 429);
        LOOPS.script("dodo-" + deadLettered, 400);

        deliverSample(sent, "payment.succeeded");
        deliverSample(retried, "payment.failed");
        deliverSample(deadLettered, "subscription.active");
        awaitLoopsRequests(sent, 1);
        awaitLoopsRequests(retried, 2);
        awaitDeadLetter(deadLettered);

        assertThat(output.getAll())
                .contains("t***@acme.com")
                .doesNotContain("test@acme.com")
                .doesNotContain(SECRET)
                .doesNotContain(SECRET.substring("whsec_".length()))
                .doesNotContain("test-loops-key");
    }

    @Test
    void anInvalidRecipientEmailIsNeverLoggedWhole(CapturedOutput output) {
        String javaTransform = newWebhookId();
        String script = newWebhookId();
        String subscription = new String(sample("subscription.active"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("test@acme.com", "bob smith@acme.com").replace(SAMPLE_SUBSCRIPTION_ID, "sub_" + javaTransform);
        String payment = new String(sample("payment.succeeded"), java.nio.charset.StandardCharsets.UTF_8)
                .replace("test@acme.com", "bob.smith acme.com");

        deliver(javaTransform, subscription.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        deliver(script, payment.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        awaitDeadLetter(javaTransform);
        awaitDeadLetter(script);

        assertThat(output.getAll())
                .contains("invalid recipient email: b***@acme.com", "invalid recipient email: b***")
                .doesNotContain("bob smith", "smith@acme.com", "bob.smith", "smith acme.com");
    }
}
