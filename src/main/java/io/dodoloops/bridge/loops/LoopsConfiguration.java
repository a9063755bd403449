package io.dodoloops.bridge.loops;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.core5.http.HttpHeaders;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.dodoloops.bridge.metrics.BridgeCounters;

@Configuration
public class LoopsConfiguration {

    /**
     * The Loops key goes onto the request inside the HTTP client, so it is never a Camel message header that an
     * error handler, tracer or dead letter could print, and only onto requests to the configured Loops host
     * (LoopsAuthorization). The client's own retries (it re-sends a 429/503 after a pause) are off: they would
     * bypass the rate limit and hide failures from the route's retry policy. Every
     * request, retries included, keeps the rate limit's spacing on the wire (SendSpacing).
     */
    @Bean
    HttpClientConfigurer loopsHttpClient(@Value("${bridge.loops.api-key:}") String apiKey,
                                         @Value("${bridge.loops.base-url}") String baseUrl,
                                         @Value("${" + RateLimitSlices.SPACING_US + "}") long spacingMicros,
                                         @Value("${bridge.loops.rate-limit:10}") int perSecond,
                                         BridgeCounters counters) {
        // Loops needs no cookies, compression, auth cache or connection state: each is an interceptor or lookup on
        // every request, and no cookie a response sets is kept to be sent back.
        return builder -> builder.disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .disableConnectionState()
                .addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), "loops-send-spacing", new SendSpacing(spacingMicros, perSecond))
                .addRequestInterceptorLast(new LoopsAuthorization(apiKey, baseUrl))
                .addResponseInterceptorLast((response, entity, context) -> counters.loopsResponse(response.getCode()));
    }

    /** Only these message headers become HTTP headers towards Loops; the webhook's own headers stay inside. */
    @Bean
    HeaderFilterStrategy loopsHeaders() {
        return new HeaderFilterStrategy() {
            @Override
            public boolean applyFilterToCamelHeaders(String name, Object value, org.apache.camel.Exchange exchange) {
                return !name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase("Idempotency-Key");
            }

            @Override
            public boolean applyFilterToExternalHeaders(String name, Object value, org.apache.camel.Exchange exchange) {
                return false;
            }
        };
    }
}
