package io.dodoloops.bridge.ingress;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.dodoloops.bridge.Settings;

/**
 * bridge.webhook.*: how webhooks are verified and how much of the public port a request may take. Defaults
 * are in application.yaml.
 *
 * @param secret             one or more whsec_ secrets, space or comma separated (DODO_WEBHOOK_SECRET);
 *                           blank: a development secret is generated in the data directory
 * @param timestampTolerance how far webhook-timestamp may be from this machine's clock, either way
 *                           (WEBHOOK_TIMESTAMP_TOLERANCE)
 * @param maxBodySize        larger bodies are answered 413, on every path of the public port (WEBHOOK_MAX_BODY_SIZE)
 * @param bodyBufferLimit    all request bodies being read or processed at once; a request beyond it is answered 503
 *                           (WEBHOOK_BODY_BUFFER_LIMIT)
 * @param bodyReadTimeout    the whole body must arrive within this after the headers, else 408
 *                           (WEBHOOK_BODY_READ_TIMEOUT)
 */
@ConfigurationProperties("bridge.webhook")
public record WebhookProperties(String secret, Duration timestampTolerance, DataSize maxBodySize, DataSize bodyBufferLimit,
                                Duration bodyReadTimeout) {

    public WebhookProperties {
        secret = secret == null ? "" : secret;
        Settings.requirePositive(timestampTolerance, "bridge.webhook.timestamp-tolerance (WEBHOOK_TIMESTAMP_TOLERANCE)");
        Settings.requirePositive(maxBodySize, "bridge.webhook.max-body-size (WEBHOOK_MAX_BODY_SIZE)");
        Settings.requirePositive(bodyBufferLimit, "bridge.webhook.body-buffer-limit (WEBHOOK_BODY_BUFFER_LIMIT)");
        Settings.require(bodyBufferLimit.toBytes() >= maxBodySize.toBytes(), "bridge.webhook.body-buffer-limit"
                + " (WEBHOOK_BODY_BUFFER_LIMIT, " + bodyBufferLimit + ") must hold at least one body of"
                + " bridge.webhook.max-body-size (WEBHOOK_MAX_BODY_SIZE, " + maxBodySize + ")");
        Settings.requirePositive(bodyReadTimeout, "bridge.webhook.body-read-timeout (WEBHOOK_BODY_READ_TIMEOUT)");
    }

    /** Never the secrets. */
    @Override
    public String toString() {
        return "WebhookProperties[secret=" + (secret.isBlank() ? "" : "****") + ", timestampTolerance=" + timestampTolerance
                + ", maxBodySize=" + maxBodySize + ", bodyBufferLimit=" + bodyBufferLimit + ", bodyReadTimeout="
                + bodyReadTimeout + "]";
    }
}
