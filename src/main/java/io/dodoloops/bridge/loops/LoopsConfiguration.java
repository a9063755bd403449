package io.dodoloops.bridge.loops;

import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.hc.client5.http.classic.HttpClient;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.protocol.HttpCoreContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.dodoloops.bridge.metrics.BridgeCounters;

@Configuration(proxyBeanMethods = false)
public class LoopsConfiguration {

    /** Delivery's answers (POSTs) count in {@code bridge_loops_responses_total}; the preflight's reads do not. */
    @Bean(destroyMethod = "close")
    LoopsClient loopsClient(LoopsProperties loops, BridgeCounters counters) {
        return new LoopsClient(loops, (response, entity, context) -> {
            var request = HttpCoreContext.castOrCreate(context).getRequest();
            if (request != null && "POST".equals(request.getMethod())) {
                counters.loopsResponse(response.getCode());
            }
        });
    }

    /** The same client, as camel-http takes it: {@code httpClient=#loopsHttpClient} (routes/delivery.yaml). */
    @Bean(destroyMethod = "") // closed with loopsClient
    HttpClient loopsHttpClient(LoopsClient loopsClient) {
        return loopsClient.http();
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
