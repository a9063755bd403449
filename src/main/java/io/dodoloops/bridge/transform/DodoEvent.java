package io.dodoloops.bridge.transform;

import java.io.IOException;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * A verified Dodo webhook as every transform sees it: the {@code webhook-id} it arrived with, its event
 * {@code type} and the whole parsed envelope ({@code business_id}, {@code type}, {@code timestamp}, {@code data}).
 */
public record DodoEvent(String webhookId, String type, JsonNode envelope) {

    // A repeated key is refused: parsers that keep the first or the last value would read the same signed bytes differently.
    private static final ObjectMapper STRICT = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** The envelope as the ingress checks it and delivery reads it: strict JSON, no duplicate keys. */
    public static JsonNode parseEnvelope(byte[] body) throws IOException {
        return STRICT.readTree(body);
    }

    /** The event-specific object, {@code envelope.data}. */
    public JsonNode data() {
        return envelope.path("data");
    }

    /** When the event happened (ISO-8601 text from the envelope), not when it was delivered. */
    public String timestamp() {
        return envelope.path("timestamp").asText(null);
    }
}
