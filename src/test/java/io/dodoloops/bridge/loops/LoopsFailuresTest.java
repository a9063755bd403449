package io.dodoloops.bridge.loops;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.dodoloops.bridge.transform.TransformException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;

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
    void everyWayTheHttpCallCanFailOnTheNetworkIsTransient() {
        assertThat(LoopsFailures.isTransient(new NoRouteToHostException("no route"))).isTrue();
        assertThat(LoopsFailures.isTransient(new UnknownHostException("app.loops.so"))).isTrue();
        assertThat(LoopsFailures.isTransient(new SocketException("connection reset"))).isTrue();
        assertThat(LoopsFailures.isTransient(new SSLHandshakeException("handshake failed"))).isTrue();
        assertThat(LoopsFailures.isTransient(new ConnectionClosedException("closed mid-response"))).isTrue();
        assertThat(LoopsFailures.isTransient(new NoHttpResponseException("app.loops.so failed to respond"))).isTrue();
    }

    @Test
    void jsonFailuresArePermanentAlthoughJacksonMakesThemIoExceptions() {
        assertThat(LoopsFailures.isTransient(new JsonParseException(null, "Unexpected character"))).isFalse();
        assertThat(LoopsFailures.isTransient(new RuntimeCamelException(JsonMappingException.from((com.fasterxml.jackson.core.JsonParser) null, "bad body"))))
                .isFalse();
    }

    @Test
    void fileAndCharsetFailuresArePermanent() {
        assertThat(LoopsFailures.isTransient(new NoSuchFileException("transforms/payment_failed.js"))).isFalse();
        assertThat(LoopsFailures.isTransient(new AccessDeniedException("transforms/payment_failed.js"))).isFalse();
        assertThat(LoopsFailures.isTransient(new MalformedInputException(1))).isFalse();
    }

    @Test
    void whatATransformRaisesIsPermanentWhateverItWraps() {
        assertThat(LoopsFailures.isTransient(new TransformException("transform x.js threw", new IOException("x")))).isFalse();
        assertThat(LoopsFailures.isTransient(new RuntimeCamelException(new InvalidLoopsRequestException("no email")))).isFalse();
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
