package io.dodoloops.bridge.transform;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

import io.dodoloops.bridge.loops.LoopsRequest;

/**
 * Turns the {@code webhook.url} a script sets into a {@link LoopsRequest} path. The bridge attaches the Loops API
 * key to every request, so it only ever sends to Loops: URLs under the configured base URL map silently, other
 * {@code loops.so} URLs (such as the Dodo dashboard's {@code https://api.loops.so/v1/events/send}) map with a
 * warning, anything else is refused.
 */
final class LoopsUrls {

    private static final Set<String> PATHS = Set.of(LoopsRequest.EVENTS_SEND, LoopsRequest.TRANSACTIONAL);

    private final URI base;
    private final String basePath;

    LoopsUrls(String baseUrl) {
        this.base = parse(stripTrailingSlash(baseUrl));
        if (base == null || base.getHost() == null) {
            throw new IllegalArgumentException("bridge.loops.base-url is not an absolute URL: " + baseUrl);
        }
        this.basePath = base.getRawPath() == null ? "" : base.getRawPath();
    }

    /** The URL scripts start from: {@code <base URL>/v1/events/send}. */
    String defaultUrl() {
        return base + LoopsRequest.EVENTS_SEND;
    }

    String baseUrl() {
        return base.toString();
    }

    /**
     * Where a URL set by a script goes; {@code rewritten} when it was a Loops URL outside the configured base,
     * {@code shown} is that URL without user info or query, for the log.
     */
    record Target(String path, boolean rewritten, String shown) {
    }

    Target resolve(String url, String script) {
        URI uri = url == null ? null : parse(stripTrailingSlash(url.trim()));
        if (uri == null || uri.getHost() == null || !isHttp(uri)) {
            throw new TransformException("transform " + script + " set url to "
                    + (url == null ? "nothing" : "something that is not an http(s) URL") + "; set it to " + defaultUrl());
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (isUnderBase(uri, path)) {
            return new Target(requireLoopsPath(path.substring(basePath.length()), uri, script), false, withoutQuery(uri));
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("loops.so") || host.endsWith(".loops.so")) {
            String apiPath = path.startsWith("/api/") ? path.substring("/api".length()) : path;
            return new Target(requireLoopsPath(apiPath, uri, script), true, withoutQuery(uri));
        }
        throw new TransformException("transform " + script + " set url to host " + uri.getHost()
                + "; this bridge only sends to Loops (it attaches the Loops API key), use " + defaultUrl());
    }

    private boolean isUnderBase(URI uri, String path) {
        return uri.getScheme().equalsIgnoreCase(base.getScheme())
                && uri.getHost().equalsIgnoreCase(base.getHost())
                && port(uri) == port(base)
                && path.startsWith(basePath + "/");
    }

    private static String requireLoopsPath(String path, URI url, String script) {
        if (!PATHS.contains(path)) {
            throw new TransformException("transform " + script + " set url to " + withoutQuery(url) + "; the bridge sends only to the"
                    + " Loops endpoints " + LoopsRequest.EVENTS_SEND + " and " + LoopsRequest.TRANSACTIONAL);
        }
        return path;
    }

    /** For messages: no user info or query string, which may carry tokens. */
    static String withoutQuery(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    private static boolean isHttp(URI uri) {
        return "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static URI parse(String url) {
        try {
            return url == null ? null : new URI(url);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String stripTrailingSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
