package io.dodoloops.bridge.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.dodoloops.bridge.BridgeTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The ingress route's store for the embedded broker, called as the route calls it. */
class EmbeddedBrokerStoreTest extends BridgeTest {

    @Autowired
    private EmbeddedBrokerStore store;
    @Autowired
    private CamelContext camel;

    @Test
    void aStoredWebhookReachesDeliveryWithItsHeaders() throws Exception {
        String id = newWebhookId();

        store.process(verifiedWebhook(id));

        // Delivery's JMS consumer read the body and the event type the route routes on, and Loops got the event.
        assertThat(awaitLoopsRequests(id, 1).get(0).json().at("/eventProperties/payment_id").asText())
                .isEqualTo("pay_2IjeQm4hqU6RA4Z4kwDee");
    }

    @Test
    void aWebhookIdTheBrokerAlreadyHoldsIsRefusedAsADuplicateAndNotStoredTwice() throws Exception {
        String id = newWebhookId();
        store.process(verifiedWebhook(id));

        // What two copies of one webhook racing past the already-stored check meet: the broker's own duplicate check.
        assertThatThrownBy(() -> store.process(verifiedWebhook(id))).isInstanceOf(ActiveMQDuplicateIdException.class);

        awaitLoopsRequests(id, 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> LOOPS.requestsFor(id).size() == 1);
    }

    @Test
    void manyRequestThreadsStoringAtOnceEachGetTheirOwnAnswerAndEveryWebhookIsStoredOnce() throws Exception {
        String prefix = newWebhookId();
        int threads = 16;
        int perThread = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> outcomes = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                outcomes.add(pool.submit(() -> {
                    int stored = 0;
                    for (int i = 0; i < perThread; i++) {
                        store.process(verifiedWebhook(prefix + "_" + thread + "_" + i));
                        stored++;
                    }
                    return stored;
                }));
            }
            for (Future<Integer> outcome : outcomes) {
                assertThat(outcome.get(60, TimeUnit.SECONDS)).isEqualTo(perThread);
            }
        } finally {
            pool.shutdownNow();
        }

        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                awaitLoopsRequests(prefix + "_" + t + "_" + i, 1);
            }
        }
    }

    @Test
    void copiesOfOneWebhookStoredAtOnceAreStoredOnceAndTheRestAreDuplicates() throws Exception {
        String id = newWebhookId();
        int copies = 16;
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int c = 0; c < copies; c++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        store.process(verifiedWebhook(id));
                        return true;
                    } catch (ActiveMQDuplicateIdException duplicate) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int stored = 0;
            for (Future<Boolean> outcome : outcomes) {
                stored += outcome.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(stored).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }

        awaitLoopsRequests(id, 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> LOOPS.requestsFor(id).size() == 1);
    }

    /** The exchange as verify-signature, read-envelope and deduplicate-by-webhook-id leave it. */
    private Exchange verifiedWebhook(String id) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(sample("payment.succeeded"));
        exchange.getMessage().setHeader(WebhookHeaders.WEBHOOK_ID, id);
        exchange.getMessage().setHeader(WebhookHeaders.WEBHOOK_TIMESTAMP, Long.toString(System.currentTimeMillis() / 1000));
        exchange.getMessage().setHeader(WebhookHeaders.WEBHOOK_SIGNATURE, "v1,unchecked-here");
        exchange.getMessage().setHeader(WebhookHeaders.EVENT_TYPE, "payment.succeeded");
        exchange.getMessage().setHeader(WebhookHeaders.RECEIVED_AT, System.currentTimeMillis());
        exchange.getMessage().setHeader(WebhookHeaders.DUPLICATE_ID, id);
        return exchange;
    }
}
