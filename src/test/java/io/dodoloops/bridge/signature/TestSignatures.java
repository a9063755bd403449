package io.dodoloops.bridge.signature;

import java.nio.charset.StandardCharsets;

import io.dodoloops.bridge.tryit.SendSample;

/** Signs test webhooks the way a Standard Webhooks sender does (as the try-it tool does), independently of the code under test. */
final class TestSignatures {

    private TestSignatures() {
    }

    /** The webhook-signature header value for one secret: "v1," + base64(HMAC-SHA256(id.timestamp.body)). */
    static String v1(String whsecSecret, String id, long timestamp, byte[] body) {
        return SendSample.signature(whsecSecret, id, timestamp, body);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
