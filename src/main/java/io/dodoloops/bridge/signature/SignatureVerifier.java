package io.dodoloops.bridge.signature;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Verifies Standard Webhooks signatures (the scheme Dodo Payments uses) over the raw request body.
 * Thread-safe: one instance serves every request.
 */
public final class SignatureVerifier {

    /** The Standard Webhooks default. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final String SUPPORTED_VERSION = "v1";
    private static final byte[] SEPARATOR = {'.'};
    private static final byte[] NO_BODY = new byte[0];
    private static final byte[] UNDECODABLE = new byte[0]; // never equals a 32-byte MAC

    private final List<HmacSha256> keys;
    private final Duration tolerance;
    private final Clock clock;

    public SignatureVerifier(WebhookSecrets secrets, Duration tolerance, Clock clock) {
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(tolerance, "tolerance");
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("tolerance must be positive, was " + tolerance);
        }
        this.keys = secrets.keys().stream().map(HmacSha256::new).toList();
        this.tolerance = tolerance;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns normally if {@code webhookSignature} holds a v1 signature of
     * {@code webhookId.webhookTimestamp.body} under any configured secret and the timestamp is fresh.
     *
     * @param body the request body exactly as received; null is read as an empty body
     * @throws SignatureRejectedException otherwise, with a reason safe to log
     */
    public void verify(String webhookId, String webhookTimestamp, String webhookSignature, byte[] body) {
        requirePresent(webhookId, "webhook-id");
        requirePresent(webhookTimestamp, "webhook-timestamp");
        requirePresent(webhookSignature, "webhook-signature");
        requireFresh(webhookTimestamp);

        List<byte[]> offered = v1Signatures(webhookSignature);
        if (offered.isEmpty()) {
            throw new SignatureRejectedException("no v1 signature in webhook-signature header");
        }
        byte[] id = webhookId.getBytes(StandardCharsets.UTF_8);
        byte[] timestamp = webhookTimestamp.getBytes(StandardCharsets.UTF_8);
        byte[] content = body == null ? NO_BODY : body;
        for (HmacSha256 key : keys) {
            byte[] expected = key.mac(id, SEPARATOR, timestamp, SEPARATOR, content);
            for (byte[] signature : offered) {
                if (MessageDigest.isEqual(expected, signature)) { // constant time: no timing oracle
                    return;
                }
            }
        }
        throw new SignatureRejectedException("signature does not match any configured secret");
    }

    private static void requirePresent(String header, String name) {
        if (header == null || header.isBlank()) {
            throw new SignatureRejectedException("missing " + name + " header");
        }
    }

    private void requireFresh(String webhookTimestamp) {
        Instant sent = Instant.ofEpochSecond(unixSeconds(webhookTimestamp));
        Instant now = clock.instant();
        if (sent.isBefore(now.minus(tolerance))) {
            throw new SignatureRejectedException("webhook-timestamp is too old (tolerance " + tolerance.toSeconds() + " s)");
        }
        if (sent.isAfter(now.plus(tolerance))) {
            throw new SignatureRejectedException("webhook-timestamp is too new (tolerance " + tolerance.toSeconds() + " s)");
        }
    }

    /**
     * Only the canonical decimal form is accepted (no sign, spaces or leading zeros), so the header
     * text that is signed is the same number the reference libraries sign.
     */
    private static long unixSeconds(String webhookTimestamp) {
        try {
            long seconds = Long.parseLong(webhookTimestamp);
            if (seconds >= 0 && seconds <= Instant.MAX.getEpochSecond()
                    && Long.toString(seconds).equals(webhookTimestamp)) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SignatureRejectedException("webhook-timestamp is not a Unix time in seconds");
    }

    /** Entries are "version,base64"; other versions are skipped and undecodable ones can never match. */
    private static List<byte[]> v1Signatures(String webhookSignature) {
        List<byte[]> signatures = new ArrayList<>();
        for (String entry : webhookSignature.split(" ")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals(SUPPORTED_VERSION)) {
                continue;
            }
            try {
                signatures.add(Base64.getDecoder().decode(entry.substring(comma + 1)));
            } catch (IllegalArgumentException e) {
                signatures.add(UNDECODABLE); // still counts as a v1 entry, so the reason is "does not match"
            }
        }
        return signatures;
    }
}
