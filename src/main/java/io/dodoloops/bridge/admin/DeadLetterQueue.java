package io.dodoloops.bridge.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.loops.ReplayCount;
import io.dodoloops.bridge.queue.QueueProperties;
import io.dodoloops.bridge.queue.WebhookHeaders;

/**
 * The dead-letter queue as an operator sees it: list, show, and replay after a fix. A replayed webhook goes back to
 * the webhook queue with its webhook-id (so its Loops Idempotency-Key is the same, unless Loops refused it: see
 * ReplayCount) and a fresh give-up window.
 */
@Component
public class DeadLetterQueue {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueue.class);
    private static final List<String> WEBHOOK_HEADERS = List.of(WebhookHeaders.WEBHOOK_ID, WebhookHeaders.WEBHOOK_TIMESTAMP,
            WebhookHeaders.WEBHOOK_SIGNATURE, WebhookHeaders.EVENT_TYPE);

    /** One dead letter: what it was, when and why it failed, and how often delivery had tried. */
    public record Entry(String webhookId, String eventType, String receivedAt, String deadLetteredAt, String reason,
                        int deliveries) {
    }

    /** Which dead letters to replay; null fields match everything. */
    public record Selection(String eventType, Instant since, Instant until) implements Predicate<Entry> {
        @Override
        public boolean test(Entry entry) {
            Instant at = entry.deadLetteredAt() == null ? null : Instant.parse(entry.deadLetteredAt());
            return (eventType == null || eventType.equals(entry.eventType()))
                    && (since == null || (at != null && !at.isBefore(since)))
                    && (until == null || (at != null && at.isBefore(until)));
        }
    }

    private final JmsTemplate browser;
    private final ConnectionFactory connections;
    private final String deadLetters;
    private final String webhooks;
    private final ObjectMapper json = new ObjectMapper();

    public DeadLetterQueue(ConnectionFactory connections, QueueProperties queue) {
        this.connections = connections;
        this.browser = new JmsTemplate(connections);
        this.deadLetters = queue.deadLetters();
        this.webhooks = queue.webhooks();
    }

    public List<Entry> list(Selection selection) {
        List<Entry> entries = browser.browse(deadLetters, (session, queue) -> {
            List<Entry> all = new ArrayList<>();
            for (Object message : Collections.list(queue.getEnumeration())) {
                all.add(entry((Message) message));
            }
            return all;
        });
        return entries.stream().filter(selection).toList();
    }

    /** The dead letter with its original body (as JSON when it parses) and headers. */
    public Optional<Map<String, Object>> show(String webhookId) {
        return Optional.ofNullable(browser.browseSelected(deadLetters, selector(webhookId), (session, queue) -> {
            var messages = queue.getEnumeration();
            if (!messages.hasMoreElements()) {
                return null;
            }
            Message message = (Message) messages.nextElement();
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("deadLetter", entry(message));
            byte[] body = body(message);
            try {
                shown.put("body", json.readTree(body));
            } catch (java.io.IOException notJson) {
                shown.put("body", new String(body, java.nio.charset.StandardCharsets.UTF_8));
            }
            return shown;
        }));
    }

    /** Moves one dead letter back to the webhook queue, in one transaction; false when there is none with that id. */
    public boolean replay(String webhookId) throws JMSException {
        try (var connection = connections.createConnection()) {
            connection.start();
            return replay(connection, webhookId);
        }
    }

    /** Replays every dead letter the selection matches, over one connection; the ids replayed. */
    public List<String> replay(Selection selection) throws JMSException {
        List<String> replayed = new ArrayList<>();
        try (var connection = connections.createConnection()) {
            connection.start();
            for (Entry entry : list(selection)) {
                if (replay(connection, entry.webhookId())) {
                    replayed.add(entry.webhookId());
                }
            }
        }
        return replayed;
    }

    // Session, consumer and producer are closed every time, found or not: each replay's selector is new, so
    // nothing of it could be reused anyway, and an open consumer would keep a claim on the dead-letter queue.
    private boolean replay(Connection connection, String webhookId) throws JMSException {
        try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
             MessageConsumer consumer = session.createConsumer(session.createQueue(deadLetters), selector(webhookId))) {
            Message dead = consumer.receive(1000);
            if (dead == null) {
                return false;
            }
            BytesMessage again = session.createBytesMessage();
            again.writeBytes(body(dead));
            for (String header : WEBHOOK_HEADERS) {
                again.setObjectProperty(header, dead.getObjectProperty(header));
            }
            // A fresh give-up window; no duplicate id, or the broker would drop it as a webhook it has seen.
            again.setLongProperty(WebhookHeaders.RECEIVED_AT, System.currentTimeMillis());
            again.setStringProperty(WebhookHeaders.REPLAYED_AT, Instant.now().toString());
            // After a Loops refusal the replay sends a new Idempotency-Key, else the key it last sent.
            ReplayCount.carryOver(dead, again);
            try (MessageProducer producer = session.createProducer(session.createQueue(webhooks))) {
                producer.send(again);
            }
            session.commit();
            LOG.info("Replayed dead-lettered {} webhook {}", dead.getStringProperty(WebhookHeaders.EVENT_TYPE), webhookId);
            return true;
        }
    }

    private static Entry entry(Message message) throws JMSException {
        long receivedAt = message.propertyExists(WebhookHeaders.RECEIVED_AT) ? message.getLongProperty(WebhookHeaders.RECEIVED_AT) : 0;
        return new Entry(message.getStringProperty(WebhookHeaders.WEBHOOK_ID),
                message.getStringProperty(WebhookHeaders.EVENT_TYPE),
                receivedAt == 0 ? null : Instant.ofEpochMilli(receivedAt).toString(),
                message.getStringProperty(WebhookHeaders.DEAD_LETTER_AT),
                message.getStringProperty(WebhookHeaders.DEAD_LETTER_REASON),
                message.propertyExists(WebhookHeaders.DEAD_LETTER_DELIVERIES)
                        ? message.getIntProperty(WebhookHeaders.DEAD_LETTER_DELIVERIES) : 0);
    }

    private static byte[] body(Message message) throws JMSException {
        if (message instanceof BytesMessage bytes) {
            bytes.reset();
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            return body;
        }
        return message.getBody(String.class).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String selector(String webhookId) {
        return WebhookHeaders.WEBHOOK_ID + " = '" + webhookId.replace("'", "''") + "'";
    }
}
