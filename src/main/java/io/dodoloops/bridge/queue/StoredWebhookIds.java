package io.dodoloops.bridge.queue;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.Header;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Asks the embedded broker whether it already holds a webhook id, so a Dodo retry is answered, counted and logged as a
 * duplicate without being sent to the broker at all: a lookup in memory, on the hot path. An external broker cannot
 * be asked; there the webhook is stored in a transaction, whose commit the broker refuses for a known id
 * (routes/ingress.yaml, error-handling.yaml).
 */
@Component("storedWebhooks")
public class StoredWebhookIds {

    private final ObjectProvider<EmbeddedActiveMQ> embedded;
    private final SimpleString address;

    public StoredWebhookIds(ObjectProvider<EmbeddedActiveMQ> embedded, QueueProperties queue) {
        this.embedded = embedded;
        this.address = SimpleString.of(queue.webhooks());
    }

    public boolean contains(@Header(WebhookHeaders.WEBHOOK_ID) String webhookId) {
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        if (broker == null || webhookId == null) {
            return false;
        }
        // The broker keys its cache by the bytes of the _AMQ_DUPL_ID string, which these are.
        return broker.getActiveMQServer().getPostOffice().getDuplicateIDCache(address).contains(SimpleString.of(webhookId).getData());
    }
}
