package io.dodoloops.bridge.admin;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.stereotype.Component;

/**
 * Who may use the management port (health, metrics, admin). Bound to loopback (the default), only this machine can
 * connect, and the {@code Host} header must name the loopback address, which defeats DNS rebinding. Bound to
 * anything else, the admin user's credentials are required: the bridge refuses to start without them. The
 * password is kept only as a digest and never logged.
 */
@Component
public class ManagementAccess {

    /** Required on every state-changing management request: a browser cannot send it cross-site without a preflight. */
    public static final String ADMIN_HEADER = "X-Bridge-Admin";

    private static final Logger LOG = LoggerFactory.getLogger(ManagementAccess.class);

    private final boolean loopback;
    private final Set<String> loopbackNames;
    private final byte[] user;
    private final byte[] password;

    public ManagementAccess(ManagementServerProperties management, AdminProperties admin) {
        InetAddress address = management.getAddress(); // null: Spring Boot listens on every interface
        String user = admin.user();
        String password = admin.password();
        boolean hasUser = !user.isBlank();
        boolean hasPassword = !password.isBlank();
        if (hasUser != hasPassword) {
            throw new RefusedException("Only " + (hasUser ? "BRIDGE_ADMIN_USER" : "BRIDGE_ADMIN_PASSWORD")
                    + " is set of the management port's credentials (bridge.admin.user, bridge.admin.password).",
                    "Set both BRIDGE_ADMIN_USER and BRIDGE_ADMIN_PASSWORD, or neither.");
        }
        this.loopback = isLoopback(address);
        if (!loopback && !hasUser) {
            throw new RefusedException("The management port listens on " + (address == null ? "all interfaces" : address.getHostAddress())
                    + " (management.server.address, MANAGEMENT_ADDRESS), beyond this machine, and has no credentials.",
                    "Set BRIDGE_ADMIN_USER and BRIDGE_ADMIN_PASSWORD (HTTP basic authentication on the management port), "
                            + "or MANAGEMENT_ADDRESS=127.0.0.1.");
        }
        this.user = hasUser ? digest(user) : null;
        this.password = hasPassword ? digest(password) : null;
        Set<String> names = new LinkedHashSet<>();
        if (loopback) {
            names.addAll(List.of("127.0.0.1", "localhost", "[::1]"));
            // The configured address too (e.g. 127.0.0.2), as a Host header writes it: IPv6 in brackets.
            String literal = address.getHostAddress().toLowerCase(Locale.ROOT);
            names.add(literal.contains(":") ? "[" + literal + "]" : literal);
        }
        this.loopbackNames = Set.copyOf(names);
        LOG.info("Management port: {}, {}", loopback ? "loopback only, Host header checked" : "reachable from the network",
                hasUser ? "HTTP basic authentication required" : "no authentication");
    }

    /** The management settings are unsafe: the bridge does not start. Never carries the password. */
    public static final class RefusedException extends IllegalStateException {
        private final String problem;
        private final String action;

        RefusedException(String problem, String action) {
            super(problem + " " + action);
            this.problem = problem;
            this.action = action;
        }

        String problem() {
            return problem;
        }

        String action() {
            return action;
        }
    }

    /** Bound to a loopback address: the Host header of every request must then name it (see {@link #hostNames()}). */
    public boolean loopbackOnly() {
        return loopback;
    }

    /** Host names a request to the loopback management port may give, with the port: 127.0.0.1, localhost, [::1]. */
    public Set<String> hostNames() {
        return loopbackNames;
    }

    public boolean credentialsRequired() {
        return user != null;
    }

    /** Constant-time: both digests are compared whole, whatever matches, so timing tells nothing about either. */
    public boolean accepts(String user, String password) {
        return credentialsRequired()
                & MessageDigest.isEqual(digest(user), this.user == null ? new byte[32] : this.user)
                & MessageDigest.isEqual(digest(password), this.password == null ? new byte[32] : this.password);
    }

    private static boolean isLoopback(InetAddress address) {
        return address != null && address.isLoopbackAddress(); // null: Spring Boot listens on every interface
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
