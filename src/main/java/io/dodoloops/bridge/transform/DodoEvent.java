package io.dodoloops.bridge.transform;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A verified Dodo webhook as every transform sees it: the {@code webhook-id} it arrived with, its event
 * {@code type} and the whole parsed envelope ({@code business_id}, {@code type}, {@code timestamp}, {@code data}).
 */
public record DodoEvent(String webhookId, String type, JsonNode envelope) {

    /** The event-specific object, {@code envelope.data}. */
    public JsonNode data() {
        return envelope.path("data");
    }

    /** When the event happened (ISO-8601 text from the envelope), not when it was delivered. */
    public String timestamp() {
        return envelope.path("timestamp").asText(null);
    }
}
