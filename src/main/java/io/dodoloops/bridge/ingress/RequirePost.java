package io.dodoloops.bridge.ingress;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.metrics.BridgeCounters.Rejection;

/** Dodo only POSTs; anything else is answered 405 with an Allow header. */
@Component("requirePost")
public class RequirePost implements Processor {

    @Override
    public void process(Exchange exchange) {
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class);
        if (!"POST".equals(method)) {
            throw new WebhookRejectedException(405, Rejection.METHOD, "method " + method + " not allowed; webhooks are POSTed");
        }
    }
}
