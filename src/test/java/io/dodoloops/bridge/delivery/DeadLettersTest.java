package io.dodoloops.bridge.delivery;

import java.net.SocketTimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.metrics.BridgeCounters;

import static org.assertj.core.api.Assertions.assertThat;

/** What a dead letter records about Loops' last answer: it decides the Idempotency-Key of a replay. */
class DeadLettersTest {

    private final DeadLetters deadLetters = new DeadLetters(new BridgeCounters());

    @Test
    void aLoopsAnswerIsRecordedWithItsStatus() {
        Exchange exchange = failedWith(new HttpOperationFailedException("http://loops/api", 401, "Unauthorized", null, null, "{}"));

        deadLetters.label(exchange);

        assertThat(exchange.getMessage().getHeader("DeadLetterLoopsStatus")).isEqualTo(401);
    }

    @Test
    void aTimeoutHasNoLoopsAnswerAndAStaleOneIsDropped() {
        Exchange exchange = failedWith(new SocketTimeoutException("Read timed out"));
        exchange.getMessage().setHeader("DeadLetterLoopsStatus", 400);

        deadLetters.label(exchange);

        assertThat(exchange.getMessage().getHeaders()).doesNotContainKey("DeadLetterLoopsStatus");
    }

    @Test
    void theReplayCountOfAReplayedWebhookStaysOnItsNextDeadLetter() {
        Exchange exchange = failedWith(new HttpOperationFailedException("http://loops/api", 400, "Bad Request", null, null, "{}"));
        exchange.getMessage().setHeader("DodoReplayCount", 2);

        deadLetters.label(exchange);

        assertThat(exchange.getMessage().getHeader("DodoReplayCount")).isEqualTo(2);
    }

    private static Exchange failedWith(Exception failure) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("DodoWebhookId", "msg_1");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        return exchange;
    }
}
