package io.dodoloops.bridge.loops;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.dodoloops.bridge.Settings;

/**
 * bridge.loops.*: where and how fast Loops is called. Defaults are in application.yaml.
 *
 * @param apiKey          the Loops API key (LOOPS_API_KEY); blank means local mode (requests go to the outbox)
 * @param baseUrl         the Loops API base (LOOPS_BASE_URL); requests go to <base>/v1/..., and the key
 *                        only ever to its scheme, host and port
 * @param rateLimit       Loops requests per second from this process (LOOPS_RATE_LIMIT), kept on the wire
 * @param connectTimeout  how long a connection to Loops may take to open
 * @param responseTimeout how long Loops may take to answer a request (and the longest pause while it answers)
 */
@ConfigurationProperties("bridge.loops")
public record LoopsProperties(String apiKey, URI baseUrl, Integer rateLimit, Duration connectTimeout, Duration responseTimeout) {

    static final int MAX_RATE = 100_000;

    public LoopsProperties {
        apiKey = apiKey == null ? "" : apiKey.strip();
        Settings.require(baseUrl != null && baseUrl.isAbsolute() && baseUrl.getHost() != null
                        && ("https".equalsIgnoreCase(baseUrl.getScheme()) || "http".equalsIgnoreCase(baseUrl.getScheme())),
                "bridge.loops.base-url (LOOPS_BASE_URL) must be an absolute http(s) URL such as https://app.loops.so/api, was "
                        + baseUrl);
        baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        // The limiter keeps the time of each of the last rateLimit requests: bounded, so a typo cannot exhaust the heap.
        Settings.require(rateLimit != null && rateLimit >= 1 && rateLimit <= MAX_RATE, "bridge.loops.rate-limit"
                + " (LOOPS_RATE_LIMIT) must be a whole number of requests per second from 1 to " + MAX_RATE + "; was " + rateLimit);
        Settings.requirePositive(connectTimeout, "bridge.loops.connect-timeout");
        Settings.requirePositive(responseTimeout, "bridge.loops.response-timeout");
    }

    /** Without a key the bridge records what it would send instead of sending it. */
    public boolean localMode() {
        return apiKey.isEmpty();
    }

    /** The base URL as text, without a trailing slash: {@code https://app.loops.so/api}. */
    public String base() {
        return baseUrl.toString();
    }

    /** Whether a request to this scheme, host and port goes to Loops (and so may carry the key). */
    boolean isLoopsHost(String scheme, String host, int port) {
        String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        return s.equalsIgnoreCase(baseUrl.getScheme()) && baseUrl.getHost().equalsIgnoreCase(host)
                && port(s, port) == port(s, baseUrl.getPort());
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "LoopsProperties[apiKey=" + (localMode() ? "" : "****") + ", baseUrl=" + baseUrl + ", rateLimit=" + rateLimit
                + ", connectTimeout=" + connectTimeout + ", responseTimeout=" + responseTimeout + "]";
    }

    private static int port(String scheme, int port) {
        if (port >= 0) {
            return port;
        }
        return "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
    }
}
