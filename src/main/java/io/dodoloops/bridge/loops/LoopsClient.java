package io.dodoloops.bridge.loops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponseInterceptor;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The one HTTP client for every call to Loops: delivery's {@code send-to-loops-at-rate-limit} (camel-http, given this
 * client as its {@code httpClient}), the preflight check's reads and {@code outbox send}. Each request keeps
 * LOOPS_RATE_LIMIT on the wire ({@link LoopsRateLimit}) and carries the key only to the Loops host
 * ({@link LoopsAuthorization}), inside the client, so the key is never a message header that a log, tracer or dead
 * letter could print.
 * <p>
 * The client's own retries are off (they would bypass the rate limit and hide failures from the route's retry
 * policy), and so are redirects (a redirect elsewhere must not be followed with the body). Loops needs no cookies,
 * compression, auth cache or connection state: each is an interceptor or lookup on every request.
 */
public final class LoopsClient implements AutoCloseable {

    /** Connections kept to Loops: more than delivery's consumers ever use at once. */
    private static final int CONNECTIONS = 20;

    private final LoopsProperties loops;
    private final LoopsRateLimit rateLimit;
    private final CloseableHttpClient http;

    /** @param onResponse sees every answer of Loops (the delivery counters), or null */
    public LoopsClient(LoopsProperties loops, HttpResponseInterceptor onResponse) {
        this.loops = loops;
        this.rateLimit = new LoopsRateLimit(loops.rateLimit());
        Timeout response = Timeout.of(loops.responseTimeout().toMillis(), TimeUnit.MILLISECONDS);
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(CONNECTIONS)
                .setMaxConnPerRoute(CONNECTIONS)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(loops.connectTimeout().toMillis(), TimeUnit.MILLISECONDS))
                        .setSocketTimeout(response)
                        .build())
                .build();
        var builder = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(loops.connectTimeout().toMillis(), TimeUnit.MILLISECONDS))
                        .setResponseTimeout(response)
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .disableConnectionState()
                .addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), "loops-rate-limit", rateLimit)
                .addRequestInterceptorLast(new LoopsAuthorization(loops));
        if (onResponse != null) {
            builder.addResponseInterceptorLast(onResponse);
        }
        this.http = builder.build();
    }

    /** For code that runs without Spring (the command line's outbox send): nothing counts the answers. */
    public LoopsClient(LoopsProperties loops) {
        this(loops, null);
    }

    /** The client itself, for camel-http ({@code httpClient=#loopsHttpClient} in routes/delivery.yaml). */
    public CloseableHttpClient http() {
        return http;
    }

    /** {@code GET <base><pathAndQuery>}. */
    public <T> T get(String pathAndQuery, HttpClientResponseHandler<T> answer) throws IOException {
        return http.execute(new HttpGet(loops.base() + pathAndQuery), answer);
    }

    /** {@code POST <base><path>} of a JSON body with an Idempotency-Key. */
    public <T> T post(String path, String idempotencyKey, String json, HttpClientResponseHandler<T> answer) throws IOException {
        HttpPost post = new HttpPost(loops.base() + path);
        post.setHeader("Idempotency-Key", idempotencyKey);
        post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
        return http.execute(post, answer);
    }

    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }
}
