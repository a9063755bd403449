package io.dodoloops.bridge.loops;

import java.net.URI;
import java.util.Locale;
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
 * Adds {@code Authorization: Bearer <key>} inside the Loops HTTP client, and only to requests whose target scheme,
 * host and port are those of {@code bridge.loops.base-url}: a route edit or a redirect towards another host must
 * not carry the key there. Another host is warned about once, without the key.
 */
final class LoopsAuthorization implements HttpRequestInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(LoopsAuthorization.class);
    private final String apiKey;
    private final String scheme;
    private final String host;
    private final int port;
    private final AtomicBoolean warned = new AtomicBoolean();

    LoopsAuthorization(String apiKey, String loopsBaseUrl) {
        URI loops = URI.create(loopsBaseUrl);
        this.apiKey = apiKey;
        this.scheme = loops.getScheme().toLowerCase(Locale.ROOT);
        this.host = loops.getHost().toLowerCase(Locale.ROOT);
        this.port = port(scheme, loops.getPort());
    }

    @Override
    public void process(HttpRequest request, EntityDetails entity, HttpContext context) {
        // The route's target is where the connection goes (through a proxy too); the request's own URI otherwise.
        RouteInfo route = HttpClientContext.castOrCreate(context).getHttpRoute();
        HttpHost target = route != null ? route.getTargetHost() : targetOf(request);
        if (target != null && isLoops(target.getSchemeName(), target.getHostName(), target.getPort())) {
            request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
            return;
        }
        request.removeHeaders(HttpHeaders.AUTHORIZATION);
        if (warned.compareAndSet(false, true)) {
            LOG.warn("A Loops request went to {}, which is not the configured Loops host {}://{}:{}: sent without the Loops "
                    + "API key (warned once)", target, scheme, host, port);
        }
    }

    boolean isLoops(String targetScheme, String targetHost, int targetPort) {
        String s = targetScheme == null ? "" : targetScheme.toLowerCase(Locale.ROOT);
        return s.equals(scheme) && host.equalsIgnoreCase(targetHost) && port(s, targetPort) == port;
    }

    private static HttpHost targetOf(HttpRequest request) {
        try {
            return HttpHost.create(request.getUri());
        } catch (Exception unknown) {
            return null;
        }
    }

    private static int port(String scheme, int port) {
        if (port >= 0) {
            return port;
        }
        return "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
    }
}
