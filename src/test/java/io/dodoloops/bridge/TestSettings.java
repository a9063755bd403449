package io.dodoloops.bridge;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import io.dodoloops.bridge.loops.LoopsProperties;
import io.dodoloops.bridge.transform.TransformProperties;

/** The typed settings as the bridge binds them (application.yaml's defaults), with a test's own values over them. */
public final class TestSettings {

    private TestSettings() {
    }

    /** application.yaml under these settings (property or environment variable names). */
    public static ConfigurableEnvironment environment(Map<String, Object> overrides) {
        ConfigurableEnvironment environment = Settings.environment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", overrides));
        return environment;
    }

    /** A context runner with application.yaml's settings, as the bridge has them, and the typed settings registered. */
    public static ApplicationContextRunner contexts() {
        return new ApplicationContextRunner()
                .withInitializer(context -> Settings.applicationYaml().forEach(context.getEnvironment().getPropertySources()::addLast))
                .withUserConfiguration(TypedSettings.class);
    }

    @Configuration(proxyBeanMethods = false)
    @ConfigurationPropertiesScan(basePackageClasses = BridgeApplication.class)
    static class TypedSettings {
    }

    public static <T> T bind(String prefix, Class<T> type, Map<String, Object> overrides) {
        return Binder.get(environment(overrides)).bindOrCreate(prefix, type);
    }

    /** The transform settings, with these over application.yaml's (e.g. bridge.transforms.directory). */
    public static TransformProperties transforms(Map<String, Object> overrides) {
        return bind("bridge.transforms", TransformProperties.class, overrides);
    }

    /** The Loops settings for a stand-in at {@code baseUrl}, with this key and otherwise the defaults. */
    public static LoopsProperties loops(String baseUrl, String apiKey) {
        return bind("bridge.loops", LoopsProperties.class, Map.of("bridge.loops.base-url", baseUrl, "bridge.loops.api-key", apiKey));
    }
}
