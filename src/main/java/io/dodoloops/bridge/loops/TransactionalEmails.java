package io.dodoloops.bridge.loops;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Which Loops emails go out as transactional emails: {@code LOOPS_TRANSACTIONAL_<EVENTNAME>=<transactionalId>}, e.g.
 * {@code LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION=cm...}. Read from every source Spring reads (environment variables,
 * {@code -D}, {@code --NAME=} arguments, application.yaml), because the names are open-ended and Spring's binding
 * has no map for a bare prefix. Scripts see each one as {@code webhook.env.LOOPS_TRANSACTIONAL_<EVENTNAME>}; an
 * unset or blank one means the email stays a Loops event.
 */
@Component
public final class TransactionalEmails {

    public static final String PREFIX = "LOOPS_TRANSACTIONAL_";

    private final Map<String, String> byVariable;

    private TransactionalEmails(Map<String, String> byVariable) {
        this.byVariable = Map.copyOf(byVariable);
    }

    @Autowired
    public TransactionalEmails(Environment environment) {
        this(scan(environment));
    }

    /** As given, e.g. {@code {"LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION": "cm123"}}, for code that runs without Spring. */
    public static TransactionalEmails of(Map<String, String> variables) {
        Map<String, String> byVariable = new TreeMap<>();
        variables.forEach((name, id) -> add(byVariable, name, id));
        return new TransactionalEmails(byVariable);
    }

    public static TransactionalEmails none() {
        return new TransactionalEmails(Map.of());
    }

    /** The variable that switches this Loops event name: {@code payment_confirmation} → {@code LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION}. */
    public static String variableFor(String eventName) {
        return PREFIX + eventName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** The transactional id configured for this Loops event name, if any. */
    public Optional<String> idFor(String eventName) {
        return Optional.ofNullable(byVariable.get(variableFor(eventName)));
    }

    /** Every configured one, by variable name (sorted): what scripts get in {@code webhook.env}. */
    public Map<String, String> variables() {
        return new TreeMap<>(byVariable);
    }

    private static Map<String, String> scan(Environment environment) {
        Map<String, String> byVariable = new TreeMap<>();
        if (environment instanceof ConfigurableEnvironment configurable) {
            for (var source : configurable.getPropertySources()) {
                if (source instanceof EnumerablePropertySource<?> enumerable) {
                    for (String name : enumerable.getPropertyNames()) {
                        if (name.toUpperCase(Locale.ROOT).startsWith(PREFIX) && !byVariable.containsKey(canonical(name))) {
                            add(byVariable, name, environment.getProperty(name)); // the winning value, by Spring's order
                        }
                    }
                }
            }
        }
        return byVariable;
    }

    private static void add(Map<String, String> byVariable, String name, String id) {
        if (id != null && !id.isBlank() && name.length() > PREFIX.length()) {
            byVariable.putIfAbsent(canonical(name), id.trim());
        }
    }

    private static String canonical(String name) {
        return variableFor(name.substring(PREFIX.length()));
    }
}
