package io.dodoloops.bridge.welcome;

import java.util.Locale;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.dodoloops.bridge.Settings;

/**
 * bridge.welcome.*. The default is in application.yaml.
 *
 * @param repository where welcomed subscriptions are remembered (WELCOME_REPOSITORY): file, per bridge
 *                   in the data directory, or jdbc, one PostgreSQL table every bridge shares
 *                   (SPRING_DATASOURCE_URL)
 */
@ConfigurationProperties("bridge.welcome")
public record WelcomeProperties(String repository) {

    public static final String FILE = "file";
    public static final String JDBC = "jdbc";

    public WelcomeProperties {
        repository = repository == null ? "" : repository.strip().toLowerCase(Locale.ROOT);
        Settings.require(repository.equals(FILE) || repository.equals(JDBC), "bridge.welcome.repository"
                + " (WELCOME_REPOSITORY) is '" + repository + "': use 'file' (the default) or 'jdbc'");
    }

    public boolean shared() {
        return repository.equals(JDBC);
    }
}
