package io.dodoloops.bridge.delivery;

import java.io.IOException;

import org.apache.camel.Header;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.queue.WebhookHeaders;
import io.dodoloops.bridge.transform.DodoEvent;

/** The stored raw body, parsed once for whichever transform the route picks. */
@Component("readDodoEvent")
public class ReadDodoEvent {

    public DodoEvent read(byte[] body, @Header(WebhookHeaders.WEBHOOK_ID) String webhookId,
                          @Header(WebhookHeaders.EVENT_TYPE) String type) throws IOException {
        return new DodoEvent(webhookId, type, DodoEvent.parseEnvelope(body));
    }
}
