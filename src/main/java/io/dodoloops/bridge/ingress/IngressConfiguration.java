package io.dodoloops.bridge.ingress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.apache.camel.component.platform.http.PlatformHttpConstants;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;

import io.dodoloops.bridge.BridgeProperties;
import io.dodoloops.bridge.DataDirectory;
import io.dodoloops.bridge.metrics.BridgeCounters;
import io.dodoloops.bridge.signature.SignatureVerifier;
import io.dodoloops.bridge.signature.WebhookSecrets;

@Configuration
public class IngressConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(IngressConfiguration.class);

    @Bean
    SignatureVerifier signatureVerifier(WebhookProperties webhook, BridgeProperties bridge) throws IOException {
        String secrets = webhook.secret().isBlank() ? developmentSecret(bridge.dataDir()) : webhook.secret();
        return new SignatureVerifier(WebhookSecrets.parse(secrets), webhook.timestampTolerance(), Clock.systemUTC());
    }

    @Bean
    BoundedBodyFilter boundedBodyFilter(WebhookProperties webhook, BridgeCounters counters) {
        return new BoundedBodyFilter(webhook.maxBodySize().toBytes(), webhook.bodyBufferLimit().toBytes(),
                webhook.bodyReadTimeout(), counters);
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
    PlatformHttpEngine platformHttpEngine(ServerProperties server) {
        return new RequestThreadHttpEngine(server.getPort());
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
