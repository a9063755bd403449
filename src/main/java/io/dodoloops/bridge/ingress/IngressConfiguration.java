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
import org.springframework.util.unit.DataSize;

import io.dodoloops.bridge.metrics.BridgeCounters;
import io.dodoloops.bridge.signature.SignatureVerifier;
import io.dodoloops.bridge.signature.WebhookSecrets;

@Configuration
public class IngressConfiguration {

    static final String WEBHOOK_PATH = "/webhooks/dodo";
    private static final Logger LOG = LoggerFactory.getLogger(IngressConfiguration.class);

    @Bean
    SignatureVerifier signatureVerifier(@Value("${bridge.webhook.secret:}") String configured,
                                        @Value("${bridge.data-dir}") Path dataDir,
                                        @Value("${bridge.webhook.timestamp-tolerance}") Duration tolerance) throws IOException {
        String secrets = configured.isBlank() ? developmentSecret(dataDir) : configured;
        return new SignatureVerifier(WebhookSecrets.parse(secrets), tolerance, Clock.systemUTC());
    }

    @Bean
    FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimit(@Value("${bridge.webhook.max-body-size}") DataSize max,
                                                             BridgeCounters counters) {
        var registration = new FilterRegistrationBean<>(new BodySizeLimitFilter(max.toBytes(), counters));
        registration.addUrlPatterns(WEBHOOK_PATH);
        return registration;
    }

    /** Without DODO_WEBHOOK_SECRET the bridge still runs, with a secret of its own kept in the data directory. */
    private static String developmentSecret(Path dataDir) throws IOException {
        Path file = dataDir.resolve("dev-webhook-secret").toAbsolutePath();
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, WebhookSecrets.generate(new SecureRandom()) + "\n");
            file.toFile().setReadable(false, false);
            file.toFile().setReadable(true, true);
        }
        LOG.warn("DODO_WEBHOOK_SECRET is not set: verifying webhooks with the development secret stored in {}", file);
        return Files.readString(file).trim();
    }
}
