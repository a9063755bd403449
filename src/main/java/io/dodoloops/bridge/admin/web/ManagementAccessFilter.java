package io.dodoloops.bridge.admin.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import io.dodoloops.bridge.admin.ManagementAccess;

/**
 * Every request on the management port, admin and actuator alike, in this order: the Host header names the loopback
 * address (when bound to loopback: DNS rebinding), the admin user's credentials (when configured), and the
 * {@value ManagementAccess#ADMIN_HEADER} header on anything but a read (a cross-site form or fetch cannot send it).
 * Registered in the management context only, so the public webhook port never sees it.
 */
class ManagementAccessFilter extends OncePerRequestFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManagementAccess access;
    private final Set<String> probes;

    /** @param probes paths answered without credentials, so Kubernetes probes need no secret in the pod spec */
    ManagementAccessFilter(ManagementAccess access, Set<String> probes) {
        this.access = access;
        this.probes = probes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int port = request.getLocalPort();
        boolean read = READS.contains(request.getMethod());
        if (access.loopbackOnly() && !namesThisPort(request.getHeader("Host"), port)) {
            refuse(response, 403, "the Host header must name the management address: 127.0.0.1:" + port
                    + ", localhost:" + port + " or [::1]:" + port);
        } else if (access.credentialsRequired() && !(read && probes.contains(request.getRequestURI()))
                && !authenticated(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"dodo-loops-bridge management\", charset=\"UTF-8\"");
            refuse(response, 401, "the management port needs the admin user (BRIDGE_ADMIN_USER) and password, as HTTP basic authentication");
        } else if (!read && request.getHeader(ManagementAccess.ADMIN_HEADER) == null) {
            refuse(response, 403, "a request that changes state needs the header " + ManagementAccess.ADMIN_HEADER
                    + ": 1 (a browser page cannot send it from another site)");
        } else {
            chain.doFilter(request, response);
        }
    }

    /** {@code name:port} with a loopback name and this port; no port means 80, HTTP's default. */
    private boolean namesThisPort(String host, int port) {
        if (host == null) {
            return false;
        }
        int colon = host.lastIndexOf(':');
        boolean hasPort = colon > host.lastIndexOf(']');
        String name = (hasPort ? host.substring(0, colon) : host).toLowerCase(Locale.ROOT);
        return access.hostNames().contains(name) && (hasPort ? host.substring(colon + 1) : "80").equals(String.valueOf(port));
    }

    private boolean authenticated(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
        int colon = decoded.indexOf(':');
        return colon >= 0 && access.accepts(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private static void refuse(HttpServletResponse response, int status, String error) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(Map.of("error", error)));
    }
}
