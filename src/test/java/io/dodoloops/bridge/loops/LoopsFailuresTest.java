package io.dodoloops.bridge.loops;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.Map;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which Loops failures are worth another attempt. */
class LoopsFailuresTest {

    @ParameterizedTest(name = "Loops {0} is retried")
    @ValueSource(ints = {429, 500, 502, 503, 504})
    void rateLimitingAndServerErrorsAreTransient(int status) {
        assertThat(LoopsFailures.isTransient(loopsAnswered(status))).isTrue();
    }

    @ParameterizedTest(name = "Loops {0} is permanent")
    @ValueSource(ints = {400, 401, 403, 404, 405, 422})
    void clientErrorsArePermanent(int status) {
        assertThat(LoopsFailures.isTransient(loopsAnswered(status))).isFalse();
    }

    @Test
    void connectionFailuresAndTimeoutsAreTransientAlsoWhenWrapped() {
        assertThat(LoopsFailures.isTransient(new ConnectException("refused"))).isTrue();
        assertThat(LoopsFailures.isTransient(new SocketTimeoutException("read timed out"))).isTrue();
        assertThat(LoopsFailures.isTransient(new RuntimeCamelException(new IOException("reset")))).isTrue();
    }

    @Test
    void aBrokenTransformIsPermanent() {
        assertThat(LoopsFailures.isTransient(new InvalidLoopsRequestException("no eventName"))).isFalse();
        assertThat(LoopsFailures.isTransient(new IllegalStateException("bug"))).isFalse();
    }

    private static HttpOperationFailedException loopsAnswered(int status) {
        return new HttpOperationFailedException("https://app.loops.so/api/v1/events/send", status, "status", null,
                Map.of(), "{\"success\":false}");
    }
}
