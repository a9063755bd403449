package io.dodoloops.bridge.signature;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The HMAC keys configured for Dodo webhooks. Several may be configured because Dodo keeps the old
 * secret valid for 24 h after a rotation. Error messages and {@link #toString()} never show a secret.
 */
public final class WebhookSecrets {

    public static final String SETTING_NAME = "DODO_WEBHOOK_SECRET";
    public static final String PREFIX = "whsec_";
    private static final int GENERATED_KEY_BYTES = 32;

    private final List<byte[]> keys;

    private WebhookSecrets(List<byte[]> keys) {
        this.keys = keys;
    }

    /**
     * Parses one or more secrets {@code whsec_<base64>} separated by spaces and/or commas.
     * An entry without the prefix is read as base64 too; missing {@code =} padding is tolerated.
     *
     * @throws IllegalArgumentException naming the position of the bad entry, never its content
     */
    public static WebhookSecrets parse(String configured) {
        String trimmed = configured == null ? "" : configured.strip();
        String[] entries = trimmed.isEmpty() ? new String[0] : trimmed.split("[\\s,]+");
        List<byte[]> keys = new ArrayList<>();
        for (String entry : entries) {
            if (!entry.isEmpty()) { // a leading comma yields one empty entry
                keys.add(decode(entry, keys.size() + 1));
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(SETTING_NAME
                    + " is empty: expected one or more " + PREFIX + "<base64> secrets separated by spaces or commas");
        }
        return new WebhookSecrets(List.copyOf(keys));
    }

    /** A new random secret for development, in the same {@code whsec_<base64>} form Dodo issues. */
    public static String generate(SecureRandom random) {
        byte[] key = new byte[GENERATED_KEY_BYTES];
        random.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    public int size() {
        return keys.size();
    }

    /** Copies, so callers cannot alter the configured keys. */
    List<byte[]> keys() {
        return keys.stream().map(byte[]::clone).toList();
    }

    @Override
    public String toString() {
        return "WebhookSecrets[" + keys.size() + (keys.size() == 1 ? " secret]" : " secrets]");
    }

    private static byte[] decode(String entry, int position) {
        boolean prefixed = entry.startsWith(PREFIX);
        String encoded = prefixed ? entry.substring(PREFIX.length()) : entry;
        String where = SETTING_NAME + " entry " + position;
        // Strip padding rather than require it, as the reference libraries do (Python appends "==").
        String unpadded = encoded.replaceFirst("=+$", "");
        if (unpadded.isEmpty()) {
            throw new IllegalArgumentException(where + (prefixed ? " has nothing after '" + PREFIX + "'" : " is empty"));
        }
        try {
            return Base64.getDecoder().decode(unpadded);
        } catch (IllegalArgumentException e) {
            // The cause is dropped on purpose: its message quotes a character of the secret.
            throw new IllegalArgumentException(where + (prefixed
                    ? " is not valid base64 after '" + PREFIX + "'"
                    : " is not valid base64 (expected " + PREFIX + "<base64>)"));
        }
    }
}
