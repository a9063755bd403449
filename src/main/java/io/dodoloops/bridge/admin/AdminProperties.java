package io.dodoloops.bridge.admin;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * bridge.admin.*: HTTP basic credentials for the management port (BRIDGE_ADMIN_USER,
 * BRIDGE_ADMIN_PASSWORD); both or neither, checked with the management address by ManagementAccess. Never
 * logged, never in {@link #toString()}.
 *
 * @param user     the admin user; blank: no credentials
 * @param password the admin password; blank: no credentials
 */
@ConfigurationProperties("bridge.admin")
public record AdminProperties(String user, String password) {

    public AdminProperties {
        user = user == null ? "" : user;
        password = password == null ? "" : password;
    }

    @Override
    public String toString() {
        return "AdminProperties[user=" + (user.isBlank() ? "" : "****") + ", password=" + (password.isBlank() ? "" : "****") + "]";
    }
}
