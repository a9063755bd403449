package io.dodoloops.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * The bridge's typed settings ({@code *Properties} records, one per concern): the checks they run as they are bound,
 * so a wrong value stops the start with a message naming the setting (plain checks rather than Bean Validation: no
 * validator on the start-up path), and the settings as the bridge reads them, for commands that run without it.
 */
public final class Settings {

    private Settings() {
    }

    /**
     * The environment and system properties over application.yaml, in Spring Boot's order, for a command that runs
     * without the bridge ({@code outbox send}). Bind a record from it with
     * {@code Binder.get(environment).bindOrCreate(prefix, type)}.
     */
    public static ConfigurableEnvironment environment() {
        StandardEnvironment environment = new StandardEnvironment();
        applicationYaml().forEach(environment.getPropertySources()::addLast);
        return environment;
    }

    /** application.yaml as Spring Boot reads it: the working directory's over the jar's copy. */
    public static List<PropertySource<?>> applicationYaml() {
        List<PropertySource<?>> sources = new ArrayList<>();
        YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();
        for (Resource file : List.of(new FileSystemResource("application.yaml"), new ClassPathResource("application.yaml"))) {
            if (file.exists()) {
                try {
                    sources.addAll(yaml.load(file.getDescription(), file));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file.getDescription(), e);
                }
            }
        }
        return sources;
    }

    /** @throws IllegalArgumentException with {@code message} when {@code condition} is false */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** @param name the property, and its environment variable in brackets when it has one */
    public static void requirePositive(Duration value, String name) {
        require(value != null && !value.isNegative() && !value.isZero(), name + " must be a positive duration (such as 5s"
                + " or 500ms), was " + value);
    }

    public static void requirePositive(DataSize value, String name) {
        require(value != null && value.toBytes() > 0, name + " must be a positive size (such as 1MB), was " + value);
    }

    public static void requireText(String value, String name) {
        require(value != null && !value.isBlank(), name + " must be set");
    }

    /** What a failed binding says about the setting: the innermost message (these checks', or the conversion's). */
    public static String problem(Throwable failure) {
        String message = failure.getMessage();
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }
}
