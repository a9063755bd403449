package io.dodoloops.bridge.queue;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.io.IOCallback;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.persistence.OperationContext;
import org.apache.activemq.artemis.core.persistence.StorageManager;
import org.apache.activemq.artemis.core.persistence.impl.journal.LargeServerMessageImpl;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.utils.UUIDGenerator;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.jms.DefaultJmsKeyFormatStrategy;
import org.apache.camel.component.jms.JmsKeyFormatStrategy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Stores a verified webhook in the embedded broker from the request thread, through the broker's own API: the same
 * journal record, duplicate-id check, paging and fsync as a JMS send, and the same message delivery's JMS consumers
 * read (a BytesMessage with the webhook's headers as properties). Why not {@code jms:}: in-VM, a blocking JMS send
 * crosses seven threads (client, acceptor, session executor, journal, timer, completion, connector) and encodes the
 * message twice; this hands it only to the journal's own threads, and used a sixth to a quarter less CPU per webhook
 * (docs/performance-history.md, seventh pass). An external broker is written to with {@code jms:} (routes/ingress.yaml).
 */
@Component("embeddedBrokerStore")
public class EmbeddedBrokerStore implements Processor {

    /** As long as a JMS send waits for the broker (Artemis' call timeout); then 503 and Dodo retries. */
    static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private static final int PROPERTIES_SIZE = 512;
    private static final byte DEFAULT_PRIORITY = 4;
    private static final JmsKeyFormatStrategy JMS_KEYS = new DefaultJmsKeyFormatStrategy();

    private final ObjectProvider<EmbeddedActiveMQ> embedded;
    private final SimpleString address;
    private final Queue<Store> waiting = new ConcurrentLinkedQueue<>();
    private final ReentrantLock router = new ReentrantLock();

    public EmbeddedBrokerStore(ObjectProvider<EmbeddedActiveMQ> embedded, QueueProperties queue) {
        this.embedded = embedded;
        this.address = SimpleString.of(queue.webhooks());
    }

    /** The route's choice: true when this bridge runs the broker itself. */
    public boolean isEmbedded() {
        return embedded.getIfAvailable() != null;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        EmbeddedActiveMQ broker = embedded.getIfAvailable();
        if (broker == null) {
            throw new IllegalStateException("no embedded broker: the webhook is stored through jms: instead");
        }
        ActiveMQServer server = broker.getActiveMQServer();
        if (!server.isActive()) {
            throw new IllegalStateException("the embedded broker is not running");
        }
        // A JMS producer would be blocked by flow control here; the sender gets a 503 at once instead.
        if (server.getPagingManager().isDiskFull()) {
            throw new IllegalStateException("the embedded broker's disk is full");
        }
        StorageManager storage = server.getStorageManager();
        Message message = LargeServerMessageImpl.checkLargeMessage(toBrokerMessage(storage, exchange.getMessage()), storage);
        CompletableFuture<RoutingStatus> stored = new CompletableFuture<>();
        waiting.add(new Store(message, stored));
        routeWaiting(server);
        RoutingStatus status;
        try {
            status = stored.get(STORE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the journal did not confirm the webhook within " + STORE_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        if (status == RoutingStatus.DUPLICATED_ID) {
            // Two copies of one webhook at once: the other one was stored (error-handling.yaml answers 202 duplicate).
            throw new ActiveMQDuplicateIdException();
        }
        if (status != RoutingStatus.OK) {
            throw new IllegalStateException("the broker did not store the webhook: " + status + " for " + address);
        }
    }

    /**
     * One request thread at a time routes every webhook waiting, its own among them (flat combining). Routed by many
     * threads at once, webhooks queue on the broker's duplicate-id cache lock, which on two cores costs more than
     * routing; handed to a broker thread, each one waits for that thread to wake (docs/performance-history.md, seventh pass).
     * The check after unlocking picks up a webhook queued while the lock was being let go.
     */
    private void routeWaiting(ActiveMQServer server) {
        while (!waiting.isEmpty() && router.tryLock()) {
            try {
                for (Store next; (next = waiting.poll()) != null; ) {
                    route(server, next.message(), next.stored());
                }
            } finally {
                router.unlock();
            }
        }
    }

    private record Store(Message message, CompletableFuture<RoutingStatus> stored) {
    }

    /** Routes the message, then completes {@code stored} once the journal has synced what the route wrote. */
    private static void route(ActiveMQServer server, Message message, CompletableFuture<RoutingStatus> stored) {
        StorageManager storage = server.getStorageManager();
        // The journal records this thread's writes under the context and completes it after their fsync.
        OperationContext context = storage.newContext(server.getExecutorFactory().getExecutor());
        RoutingStatus status;
        storage.setContext(context);
        try {
            status = server.getPostOffice().route(message, false);
        } catch (Throwable e) {
            stored.completeExceptionally(e);
            return;
        } finally {
            storage.clearContext();
        }
        if (status != RoutingStatus.OK) {
            stored.complete(status);
            return;
        }
        context.executeOnCompletion(new IOCallback() {
            @Override
            public void done() {
                stored.complete(status);
            }

            @Override
            public void onError(int errorCode, String errorMessage) {
                stored.completeExceptionally(new ActiveMQException(ActiveMQExceptionType.getType(errorCode), errorMessage));
            }
        });
    }

    /**
     * What Camel's JMS producer would send: a durable BytesMessage, the headers (strings, numbers, booleans) as
     * properties under their JMS names, _AMQ_DUPL_ID among them.
     */
    private CoreMessage toBrokerMessage(StorageManager storage, org.apache.camel.Message in) {
        byte[] body = in.getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        CoreMessage message = new CoreMessage(storage.generateID(), body.length + PROPERTIES_SIZE);
        message.setType(Message.BYTES_TYPE);
        message.setAddress(address);
        message.setRoutingType(RoutingType.ANYCAST);
        message.setDurable(true);
        message.setPriority(DEFAULT_PRIORITY);
        message.setTimestamp(System.currentTimeMillis());
        // JMSMessageID is "ID:" + this, as for a message from the JMS client.
        message.setUserID(UUIDGenerator.getInstance().generateUUID());
        for (Map.Entry<String, Object> header : in.getHeaders().entrySet()) {
            Object value = header.getValue();
            if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                message.putObjectProperty(JMS_KEYS.encodeKey(header.getKey()), value);
            }
        }
        message.getBodyBuffer().writeBytes(body);
        return message;
    }
}
