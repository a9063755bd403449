package io.dodoloops.bridge.loops;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.hc.client5.http.RouteInfo;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds {@code Authorization: Bearer <key>} inside the Loops client, and only to requests whose target scheme, host and
 * port are those of {@code bridge.loops.base-url}: a route edit towards another host must not carry the key there.
 * Another host is warned about once, without the key.
 */
final class LoopsAuthorization implements HttpRequestInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(LoopsAuthorization.class);
    private final LoopsProperties loops;
    private final AtomicBoolean warned = new AtomicBoolean();

    LoopsAuthorization(LoopsProperties loops) {
        this.loops = loops;
    }

    @Override
    public void process(HttpRequest request, EntityDetails entity, HttpContext context) {
        // The route's target is where the connection goes (through a proxy too); the request's own URI otherwise.
        RouteInfo route = HttpClientContext.castOrCreate(context).getHttpRoute();
        HttpHost target = route != null ? route.getTargetHost() : targetOf(request);
        if (target != null && loops.isLoopsHost(target.getSchemeName(), target.getHostName(), target.getPort())) {
            request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + loops.apiKey());
            return;
        }
        request.removeHeaders(HttpHeaders.AUTHORIZATION);
        if (warned.compareAndSet(false, true)) {
            LOG.warn("A Loops request went to {}, which is not the configured Loops host {}: sent without the Loops "
                    + "API key (warned once)", target, loops.base());
        }
    }

    private static HttpHost targetOf(HttpRequest request) {
        try {
            return HttpHost.create(request.getUri());
        } catch (Exception unknown) {
            return null;
        }
    }
}
