package io.dodoloops.bridge.ingress;

import java.util.concurrent.CompletableFuture;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-platform-http on Spring Boot, with each exchange run on Tomcat's request thread. The stock consumer hands
 * every request to another pool and answers through Spring MVC's asynchronous dispatch (a second pass through the
 * servlet chain); a webhook's work is one fsync wait, which the request thread can do itself. Same routes, same
 * mappings, same binding: only the hand-off is gone.
 */
public class RequestThreadHttpEngine implements PlatformHttpEngine {

    private final int port;

    public RequestThreadHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new Consumer(endpoint, processor);
    }

    @Override
    public int getServerPort() {
        return port;
    }

    /** Spring MVC calls {@link #service}; returning null (the response is written) keeps the request synchronous. */
    static final class Consumer extends SpringBootPlatformHttpConsumer {

        private static final Logger LOG = LoggerFactory.getLogger(Consumer.class);

        Consumer(PlatformHttpEndpoint endpoint, Processor processor) {
            super(endpoint, processor, Runnable::run);
        }

        @Override
        public CompletableFuture<Void> service(HttpServletRequest request, HttpServletResponse response) {
            try {
                handleService(request, response);
            } catch (Exception e) {
                // The route's own error policy answers every failure it sees; this is a failure outside the route.
                LOG.warn("Error handling request to {}: {}", getEndpoint().getPath(), e.toString());
                try {
                    if (!response.isCommitted()) {
                        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                    }
                } catch (Exception ignored) {
                    // the client is gone
                }
            }
            return null;
        }
    }
}
