package io.dodoloops.bridge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * {@code BRIDGE_PROFILE=production} (or an active Spring profile {@code production}) makes the development defaults
 * start-up errors: without LOOPS_API_KEY the bridge would only record emails in the local outbox, without
 * DODO_WEBHOOK_SECRET it would generate a secret Dodo does not know and refuse every webhook. Checked on the
 * environment, before the broker or anything else starts; the message names what is missing, never a value.
 */
public class ProductionProfile implements EnvironmentPostProcessor {

    static final String PRODUCTION = "production";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!isProduction(environment)) {
            return;
        }
        List<String> missing = new ArrayList<>();
        if (isBlank(environment.getProperty("bridge.loops.api-key"))) {
            missing.add("LOOPS_API_KEY (without it Loops requests are only written to the local outbox, no email is sent)");
        }
        if (isBlank(environment.getProperty("bridge.webhook.secret"))) {
            missing.add("DODO_WEBHOOK_SECRET (without it a development secret is generated and every Dodo webhook is refused)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The production profile (BRIDGE_PROFILE=production or Spring profile 'production') "
                    + "refuses to start without " + String.join(" and without ", missing)
                    + ". Set " + (missing.size() == 1 ? "it" : "them") + ", or start without the production profile for local mode.");
        }
    }

    static boolean isProduction(ConfigurableEnvironment environment) {
        String profile = environment.getProperty("bridge.profile", "");
        return PRODUCTION.equalsIgnoreCase(profile.trim())
                || Arrays.stream(environment.getActiveProfiles()).anyMatch(PRODUCTION::equalsIgnoreCase);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
