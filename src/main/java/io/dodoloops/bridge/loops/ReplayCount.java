package io.dodoloops.bridge.loops;

import jakarta.jms.JMSException;
import jakarta.jms.Message;

import io.dodoloops.bridge.queue.WebhookHeaders;

/**
 * How many times a dead letter has been replayed after Loops refused it, which picks its Idempotency-Key
 * ({@link IdempotencyKey#of(String, int)}). A refusal (4xx) means nothing was sent, and Loops may have kept that
 * key: the replay counts one more and sends a new key. Any other outcome (a timeout, 5xx, 429, no Loops answer at
 * all) may have sent the email: the replay keeps the key it last sent, so Loops can still answer 409.
 */
public final class ReplayCount {

    private ReplayCount() {
    }

    /** The count the replay of {@code dead} carries; 0 means the webhook's own key. */
    public static int next(Message dead) throws JMSException {
        int count = dead.propertyExists(WebhookHeaders.REPLAY_COUNT) ? dead.getIntProperty(WebhookHeaders.REPLAY_COUNT) : 0;
        boolean refused = dead.propertyExists(WebhookHeaders.DEAD_LETTER_LOOPS_STATUS)
                && LoopsFailures.isRefusal(dead.getIntProperty(WebhookHeaders.DEAD_LETTER_LOOPS_STATUS));
        return refused ? count + 1 : count;
    }

    /** Puts the next count on the replayed message (nothing for the webhook's own key). */
    public static void carryOver(Message dead, Message replayed) throws JMSException {
        int count = next(dead);
        if (count > 0) {
            replayed.setIntProperty(WebhookHeaders.REPLAY_COUNT, count);
        }
    }
}
