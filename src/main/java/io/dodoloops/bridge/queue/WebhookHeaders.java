package io.dodoloops.bridge.queue;

/**
 * Names of the message headers a verified webhook carries through the broker. JMS property names must be Java
 * identifiers, so Dodo's {@code webhook-*} headers travel under these names.
 */
public final class WebhookHeaders {
    public static final String WEBHOOK_ID = "DodoWebhookId";
    public static final String WEBHOOK_TIMESTAMP = "DodoWebhookTimestamp";
    public static final String WEBHOOK_SIGNATURE = "DodoWebhookSignature";
    public static final String EVENT_TYPE = "DodoEventType";
    /** Epoch milliseconds when the bridge accepted the webhook; delivery gives up relative to it. */
    public static final String RECEIVED_AT = "DodoReceivedAt";
    /** Artemis drops a message whose id it has already seen on the address: that is how Dodo's retries are deduplicated. */
    public static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    public static final String DEAD_LETTER_REASON = "DeadLetterReason";
    public static final String DEAD_LETTER_AT = "DeadLetterAt";
    /** How many times the broker had handed the webhook to delivery when it was dead-lettered. */
    public static final String DEAD_LETTER_DELIVERIES = "DeadLetterDeliveries";
    /**
     * The HTTP status of Loops' last answer, when a Loops answer was why the webhook was dead-lettered; absent for a
     * timeout, a connection failure or a transform failure (no answer, so nobody knows whether Loops sent it).
     */
    public static final String DEAD_LETTER_LOOPS_STATUS = "DeadLetterLoopsStatus";
    /**
     * How many times the webhook was replayed after Loops refused it (4xx): each such replay sends a new
     * Idempotency-Key, in case Loops kept the refused request's key. Absent: never.
     */
    public static final String REPLAY_COUNT = "DodoReplayCount";
    /** Set on a webhook replayed from the dead-letter queue. */
    public static final String REPLAYED_AT = "DodoReplayedAt";

    private WebhookHeaders() {
    }
}
