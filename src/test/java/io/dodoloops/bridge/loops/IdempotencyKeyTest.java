package io.dodoloops.bridge.loops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdempotencyKeyTest {

    @Test
    void isTheWebhookIdWithAPrefix() {
        assertThat(IdempotencyKey.of("msg_p5jXN8AQM9LWM0D4loKWxJek")).isEqualTo("dodo-msg_p5jXN8AQM9LWM0D4loKWxJek");
    }

    @Test
    void isTheSameEveryTimeForTheSameWebhook() {
        String longId = "evt_" + "x".repeat(200);
        assertThat(IdempotencyKey.of(longId)).isEqualTo(IdempotencyKey.of(longId));
    }

    @Test
    void aWebhookIdTooLongForLoopsIsHashedToAtMost100Characters() {
        String key = IdempotencyKey.of("evt_" + "x".repeat(200));

        assertThat(key).startsWith("dodo-sha256-").hasSizeLessThanOrEqualTo(100);
        assertThat(IdempotencyKey.of("evt_" + "x".repeat(199) + "y")).isNotEqualTo(key);
    }

    @Test
    void keysUpToTheLimitAreKeptReadable() {
        String id = "m".repeat(95);
        assertThat(IdempotencyKey.of(id)).isEqualTo("dodo-" + id).hasSize(100);
        assertThat(IdempotencyKey.of(id + "m")).startsWith("dodo-sha256-");
    }

    @Test
    void aWebhookIdWithCharactersThatDoNotBelongInAHeaderIsHashed() {
        assertThat(IdempotencyKey.of("msg 1")).startsWith("dodo-sha256-");
        assertThat(IdempotencyKey.of("msg_é")).startsWith("dodo-sha256-");
    }

    @Test
    void aReplayAfterARefusalGetsAKeyNumberedByTheReplay() {
        assertThat(IdempotencyKey.of("msg_1", 1)).isEqualTo("dodo-msg_1-r1");
        assertThat(IdempotencyKey.of("msg_1", 2)).isEqualTo("dodo-msg_1-r2");
        assertThat(IdempotencyKey.of("msg_1", 0)).isEqualTo(IdempotencyKey.of("msg_1")).isEqualTo("dodo-msg_1");
    }

    @Test
    void aReplayKeyIsTheSameEveryTimeForTheSameReplay() {
        assertThat(IdempotencyKey.of("msg_1", 3)).isEqualTo(IdempotencyKey.of("msg_1", 3));
        String longId = "evt_" + "x".repeat(200);
        assertThat(IdempotencyKey.of(longId, 3)).isEqualTo(IdempotencyKey.of(longId, 3));
    }

    @Test
    void aReplayKeyTooLongForLoopsIsTheHashedKeyWithTheReplayNumber() {
        String longId = "evt_" + "x".repeat(200);

        assertThat(IdempotencyKey.of(longId, 1)).isEqualTo(IdempotencyKey.of(longId) + "-r1").hasSizeLessThanOrEqualTo(100);
        assertThat(IdempotencyKey.of(longId, 1)).isNotEqualTo(IdempotencyKey.of(longId, 2));
        assertThat(IdempotencyKey.of(longId, 999_999_999)).hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void aWebhookIdThatFitsAloneButNotWithTheReplayNumberIsHashedForTheReplay() {
        String id = "m".repeat(95);

        assertThat(IdempotencyKey.of(id)).isEqualTo("dodo-" + id);
        assertThat(IdempotencyKey.of(id, 1)).startsWith("dodo-sha256-").endsWith("-r1").hasSizeLessThanOrEqualTo(100);
    }

    @Test
    void aRecordedKeyRetriedAfterARefusalGetsTheRefusalNumberAndStaysWithinTheLimit() {
        assertThat(IdempotencyKey.retryOf("dodo-msg_1", 0)).isEqualTo("dodo-msg_1");
        assertThat(IdempotencyKey.retryOf("dodo-msg_1", 2)).isEqualTo("dodo-msg_1-r2");
        String longest = "dodo-" + "m".repeat(95);
        assertThat(IdempotencyKey.retryOf(longest, 1)).startsWith("dodo-sha256-").endsWith("-r1")
                .hasSizeLessThanOrEqualTo(100).isEqualTo(IdempotencyKey.retryOf(longest, 1));
    }
}
