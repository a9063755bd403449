package io.dodoloops.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.dodoloops.bridge.queue.WebhookHeaders;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.apache.camel.builder.Builder.header;
import static org.awaitility.Awaitility.await;

/**
 * The whole bridge on a random port with its embedded broker, talking to a {@link LoopsStandIn}. Every test class
 * extending this shares one application; tests tell their webhooks apart by webhook-id. A Camel Spring Boot test, so
 * a test can wait for a route to have finished a webhook ({@link #deliveryOf}) rather than for time to pass.
 */
// As in production: test defaults would switch off JMX export (Spring's and Camel's) and the Prometheus endpoint.
@CamelSpringBootTest
@DisableJmx(false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.jmx.enabled=true")
@AutoConfigureObservability
public abstract class BridgeTest {

    protected static final LoopsStandIn LOOPS = LoopsStandIn.start();
    /** Made up for this run; no secret ships with the tests. */
    protected static final String SECRET = WebhookSecrets.generate(new SecureRandom());
    protected static final String DLQ = "dodo.webhooks.DLQ";
    private static final String DATA_DIR = tempDir("bridge-test");
    /** The subscription_id of samples/dodo/subscription.active.json. */
    protected static final String SAMPLE_SUBSCRIPTION_ID = "sub_7EeHq2ewQuadropD2ra";

    @LocalServerPort
    protected int port;
    @Autowired
    protected JmsTemplate jms;
    @Autowired
    protected CamelContext camel;
    @Autowired
    @Qualifier("welcomedSubscriptions")
    protected IdempotentRepository welcomedSubscriptions;

    @DynamicPropertySource
    static void bridgeProperties(DynamicPropertyRegistry registry) {
        registry.add("bridge.data-dir", () -> DATA_DIR);
        registry.add("bridge.webhook.secret", () -> SECRET);
        registry.add("bridge.loops.base-url", LOOPS::baseUrl);
        registry.add("bridge.loops.api-key", () -> "test-loops-key");
        fastRetries(registry);
    }

    /** Retry delays of milliseconds instead of seconds, so failure paths can be observed in a test. */
    protected static void fastRetries(DynamicPropertyRegistry registry) {
        registry.add("bridge.delivery.retries", () -> "2");
        registry.add("bridge.delivery.retry-delay-ms", () -> "50");
        registry.add("bridge.delivery.retry-max-delay-ms", () -> "200");
        registry.add("bridge.delivery.broker-redelivery-delay", () -> "200ms");
        registry.add("bridge.delivery.broker-redelivery-max-delay", () -> "1s");
    }

    protected static String tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Dodo's sample subscription.active is always the same subscription, welcomed once per data directory: a test
     * that expects the sample to be a welcome calls this first (the test classes share one application).
     */
    protected void forgetSampleSubscriptionWelcomed() {
        welcomedSubscriptions.remove(SAMPLE_SUBSCRIPTION_ID);
    }

    protected URI webhookUrl() {
        return URI.create("http://127.0.0.1:" + port + "/webhooks/dodo");
    }

    protected static String newWebhookId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }

    protected static byte[] sample(String eventType) {
        try {
            return SendSample.sample(eventType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a body signed with the configured secret, now, as Dodo would. */
    protected HttpResponse<String> deliver(String webhookId, byte[] body) {
        try {
            return SendSample.post(webhookUrl(), SECRET, webhookId, Instant.now().getEpochSecond(), body);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    protected HttpResponse<String> deliverSample(String webhookId, String eventType) {
        return deliver(webhookId, sample(eventType));
    }

    /**
     * Notified once the delivery route is done with this webhook for good (sent, acknowledged without sending, or
     * dead-lettered; a delivery handed back to the broker does not count): create it before the webhook is sent, then
     * {@code matches(20, SECONDS)}.
     */
    protected NotifyBuilder deliveryOf(String webhookId) {
        return new NotifyBuilder(camel).fromRoute("delivery")
                .filter(header(WebhookHeaders.WEBHOOK_ID).isEqualTo(webhookId)).whenCompleted(1).create();
    }

    protected static List<LoopsStandIn.Request> awaitLoopsRequests(String webhookId, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> LOOPS.requestsFor(webhookId).size() >= count);
        return LOOPS.requestsFor(webhookId);
    }

    /** The dead letter for a webhook, once it is there. */
    protected Message awaitDeadLetter(String webhookId) {
        Message[] found = new Message[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> (found[0] = deadLetter(webhookId)) != null);
        return found[0];
    }

    protected Message deadLetter(String webhookId) {
        return firstDeadLetter(jms, webhookId);
    }

    /** The first message in the dead-letter queue for this webhook, or null. */
    public static Message firstDeadLetter(JmsTemplate jms, String webhookId) {
        return jms.browseSelected(DLQ, "DodoWebhookId = '" + webhookId + "'", (session, browser) -> {
            var messages = browser.getEnumeration();
            return messages.hasMoreElements() ? (Message) messages.nextElement() : null;
        });
    }

    protected static byte[] bodyOf(Message message) throws JMSException {
        BytesMessage bytes = (BytesMessage) message;
        bytes.reset();
        byte[] body = new byte[(int) bytes.getBodyLength()];
        bytes.readBytes(body);
        return body;
    }
}
