package io.dodoloops.bridge.loops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Loops Idempotency-Key for a webhook: derived from {@code webhook-id} alone, so every retry and every
 * redelivery after a crash sends the same key and Loops answers 409 instead of sending the email twice. A webhook
 * replayed after Loops refused it (4xx) gets a key of its own per such replay ({@code dodo-<id>-r<n>}): Loops does
 * not say whether a refused request used its key up, and if it did, the old key would only ever get 409.
 */
public final class IdempotencyKey {

    /** Loops accepts keys of up to 100 characters. */
    static final int MAX_LENGTH = 100;
    private static final String PREFIX = "dodo-";

    private IdempotencyKey() {
    }

    public static String of(String webhookId) {
        return of(webhookId, 0);
    }

    /** @param replayCount how often the webhook was replayed after a refusal; 0 gives the webhook's own key */
    public static String of(String webhookId, int replayCount) {
        String replay = replayCount > 0 ? "-r" + replayCount : "";
        String plain = PREFIX + webhookId + replay;
        if (plain.length() <= MAX_LENGTH && webhookId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return plain;
        }
        // Too long or not a plain header value: a hash is just as stable (76 characters, plus the replay suffix).
        return PREFIX + "sha256-" + HexFormat.of().formatHex(sha256(webhookId)) + replay;
    }

    /**
     * A recorded key (an outbox line's) for its n-th retry after Loops refused it: {@code <key>-r<n>}, hashed when
     * that would be longer than Loops accepts.
     */
    public static String retryOf(String key, int refusals) {
        if (refusals == 0) {
            return key;
        }
        String plain = key + "-r" + refusals;
        return plain.length() <= MAX_LENGTH ? plain
                : PREFIX + "sha256-" + HexFormat.of().formatHex(sha256(key)) + "-r" + refusals;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
