package io.dodoloops.bridge.delivery;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.admin.DeadLetterQueue;
import io.dodoloops.bridge.transform.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which Idempotency-Key a replayed dead letter sends. Loops does not say whether a refused request (4xx) uses its key
 * up; against a Loops that does (the stand-in here), a replay with the same key would get 409 and the email would
 * never go out. So a replay after a refusal sends a new key; a replay after an unknown outcome keeps the key.
 */
class ReplayKeyTest extends BridgeTest {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @Autowired
    DeadLetterQueue deadLetters;

    @BeforeEach
    void loopsUsesUpTheKeysItRefuses() {
        LOOPS.useUpKeysOnRefusal(true);
    }

    @AfterEach
    void loopsAsUsual() {
        LOOPS.useUpKeysOnRefusal(false);
    }

    @Test
    void aWebhookLoopsRefusedIsReplayedWithANewKeyAndTheEmailIsSent() throws Exception {
        String id = newWebhookId();
        LOOPS.script("dodo-" + id, 401); // a wrong API key, fixed before the replay
        deliverSample(id, "payment.succeeded");
        assertThat(awaitDeadLetter(id).getIntProperty("DeadLetterLoopsStatus")).isEqualTo(401);
        long delivered = counter("Delivered");

        assertThat(deadLetters.replay(id)).isTrue();

        await().atMost(Duration.ofSeconds(20)).until(() -> LOOPS.keysAndStatusesFor(id).size() == 2);
        assertThat(LOOPS.keysAndStatusesFor(id)).containsExactly("dodo-" + id + " 401", "dodo-" + id + "-r1 200");
        await().atMost(Duration.ofSeconds(5)).until(() -> counter("Delivered") > delivered);
        assertThat(deadLetter(id)).isNull();
    }

    @Test
    void retriesWithinAReplayKeepItsKey() throws Exception {
        String id = newWebhookId();
        LOOPS.script("dodo-" + id, 400);
        LOOPS.script("dodo-" + id + "-r1", 429); // rate limited: retried with the same key
        deliverSample(id, "payment.succeeded");
        awaitDeadLetter(id);

        deadLetters.replay(id);

        await().atMost(Duration.ofSeconds(20)).until(() -> LOOPS.keysAndStatusesFor(id).size() == 3);
        assertThat(LOOPS.keysAndStatusesFor(id)).containsExactly("dodo-" + id + " 400", "dodo-" + id + "-r1 429",
                "dodo-" + id + "-r1 200");
    }

    @Test
    void aWebhookRefusedAgainAfterItsReplayIsReplayedWithTheNextKey() throws Exception {
        String id = newWebhookId();
        storeDeadLetter(id, 400, 1); // replayed once after a refusal, refused again

        deadLetters.replay(id);

        await().atMost(Duration.ofSeconds(20)).until(() -> LOOPS.keysAndStatusesFor(id).size() == 1);
        assertThat(LOOPS.keysAndStatusesFor(id)).containsExactly("dodo-" + id + "-r2 200");
    }

    @Test
    void aDeadLetterWithoutALoopsAnswerIsReplayedWithItsOriginalKey() throws Exception {
        String id = newWebhookId();
        storeDeadLetter(id, null, null); // a timeout or connection failure at give-up time: Loops may have sent it

        deadLetters.replay(id);

        await().atMost(Duration.ofSeconds(20)).until(() -> LOOPS.keysAndStatusesFor(id).size() == 1);
        assertThat(LOOPS.keysAndStatusesFor(id)).containsExactly("dodo-" + id + " 200");
    }

    @Test
    void aDeadLetterAfterLoopsServerErrorsOrRateLimitsIsReplayedWithTheKeyItLastSent() throws Exception {
        String afterServerErrors = newWebhookId();
        String afterRateLimits = newWebhookId();
        storeDeadLetter(afterServerErrors, 503, null);
        storeDeadLetter(afterRateLimits, 429, 2); // already replayed twice after refusals: its key is -r2

        deadLetters.replay(afterServerErrors);
        deadLetters.replay(afterRateLimits);

        await().atMost(Duration.ofSeconds(20)).until(() -> LOOPS.keysAndStatusesFor(afterServerErrors).size() == 1
                && LOOPS.keysAndStatusesFor(afterRateLimits).size() == 1);
        assertThat(LOOPS.keysAndStatusesFor(afterServerErrors)).containsExactly("dodo-" + afterServerErrors + " 200");
        assertThat(LOOPS.keysAndStatusesFor(afterRateLimits)).containsExactly("dodo-" + afterRateLimits + "-r2 200");
    }

    @Test
    void a409OnTheVeryFirstAttemptIsWarnedAboutWithLoopsMessageMaskedAndCountedApart() throws Exception {
        String id = newWebhookId();
        LOOPS.script("dodo-" + id, 409);
        LOOPS.message("dodo-" + id, "Request has already been processed for jane.doe@acme.com");
        long before = counter("ConflictsOnFirstAttempt");

        try (LogCapture log = new LogCapture(DeliveryLog.class)) {
            deliverSample(id, "payment.succeeded");

            await().atMost(Duration.ofSeconds(20)).until(() -> counter("ConflictsOnFirstAttempt") == before + 1);
            assertThat(log.warnings()).anySatisfy(warning -> assertThat(warning).contains(id)
                    .contains("409 on the first attempt").contains("Request has already been processed for j***@acme.com"));
            assertThat(log.messages()).noneMatch(line -> line.contains("jane.doe@"));
        }
    }

    @Test
    void a409AfterARetryIsOurOwnEarlierRequestAndNotCountedApart() throws Exception {
        String id = newWebhookId();
        LOOPS.script("dodo-" + id, 500, 409);
        long before = counter("ConflictsOnFirstAttempt");

        deliverSample(id, "payment.succeeded");

        await().atMost(Duration.ofSeconds(20)).until(() -> LOOPS.keysAndStatusesFor(id).size() == 2);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3))
                .until(() -> counter("ConflictsOnFirstAttempt") == before);
    }

    /** A dead letter as delivery stores it, with or without Loops' last answer and an earlier replay count. */
    private void storeDeadLetter(String id, Integer loopsStatus, Integer replayCount) {
        byte[] body = sample("payment.succeeded");
        jms.send(DLQ, session -> {
            BytesMessage message = session.createBytesMessage();
            message.writeBytes(body);
            message.setStringProperty("DodoWebhookId", id);
            message.setStringProperty("DodoEventType", "payment.succeeded");
            message.setStringProperty("DodoWebhookTimestamp", "1");
            message.setStringProperty("DodoWebhookSignature", "v1,stored");
            message.setStringProperty("DeadLetterReason", "Loops still failing at give-up time");
            message.setStringProperty("DeadLetterAt", java.time.Instant.now().toString());
            if (loopsStatus != null) {
                message.setIntProperty("DeadLetterLoopsStatus", loopsStatus);
            }
            if (replayCount != null) {
                message.setIntProperty("DodoReplayCount", replayCount);
            }
            return message;
        });
        Message stored = deadLetter(id);
        assertThat(stored).isNotNull();
    }

    private static long counter(String name) throws Exception {
        return ((Number) JMX.getAttribute(new ObjectName("io.dodoloops.bridge:type=Counters"), name)).longValue();
    }
}
