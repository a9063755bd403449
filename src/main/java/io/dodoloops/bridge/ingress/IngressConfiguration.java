package io.dodoloops.bridge.ingress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.springframework.util.unit.DataSize;

import io.dodoloops.bridge.DataDirectory;
import io.dodoloops.bridge.metrics.BridgeCounters;
import io.dodoloops.bridge.signature.SignatureVerifier;
import io.dodoloops.bridge.signature.WebhookSecrets;

@Configuration
public class IngressConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IngressConfiguration.class);

    @Bean
    SignatureVerifier signatureVerifier(@Value("${bridge.webhook.secret:}") String configured,
                                        @Value("${bridge.data-dir}") Path dataDir,
                                        @Value("${bridge.webhook.timestamp-tolerance}") Duration tolerance) throws IOException {
        String secrets = configured.isBlank() ? developmentSecret(dataDir) : configured;
        return new SignatureVerifier(WebhookSecrets.parse(secrets), tolerance, Clock.systemUTC());
    }

    @Bean
    BoundedBodyFilter boundedBodyFilter(@Value("${bridge.webhook.max-body-size}") DataSize max,
                                        @Value("${bridge.webhook.body-buffer-limit}") DataSize budget,
                                        @Value("${bridge.webhook.body-read-timeout}") Duration deadline,
                                        BridgeCounters counters) {
        return new BoundedBodyFilter(max.toBytes(), budget.toBytes(), deadline, counters);
    }

    /** Every path of the public port: Spring MVC and Tomcat map more spellings of a path than a pattern would list. */
    @Bean
    FilterRegistrationBean<BoundedBodyFilter> boundedBodies(BoundedBodyFilter filter) {
        var registration = new FilterRegistrationBean<>(filter);
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** camel-platform-http on Tomcat's request thread instead of Spring MVC's asynchronous dispatch. */
    @Bean(PlatformHttpConstants.PLATFORM_HTTP_ENGINE_NAME) // the name the component looks up
    PlatformHttpEngine platformHttpEngine(@Value("${server.port:8080}") int port) {
        return new RequestThreadHttpEngine(port);
    }

    /** Without DODO_WEBHOOK_SECRET the bridge still runs, with a secret of its own kept in the data directory. */
    private static String developmentSecret(Path dataDir) throws IOException {
        Path file = dataDir.resolve("dev-webhook-secret").toAbsolutePath();
        if (!Files.exists(file)) {
            DataDirectory.writeOwnerOnlyOnce(file, WebhookSecrets.generate(new SecureRandom()) + "\n");
        }
        LOG.warn("DODO_WEBHOOK_SECRET is not set: verifying webhooks with the development secret stored in {}", file);
        return Files.readString(file).trim();
    }
}
