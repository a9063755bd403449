package io.dodoloops.bridge.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LoopsUrlsTest {

    private final LoopsUrls production = new LoopsUrls("https://app.loops.so/api");
    private final LoopsUrls local = new LoopsUrls("http://127.0.0.1:8089/api/");

    @Test
    void scriptsStartFromTheConfiguredEventsEndpoint() {
        assertThat(production.defaultUrl()).isEqualTo("https://app.loops.so/api/v1/events/send");
        assertThat(local.defaultUrl()).isEqualTo("http://127.0.0.1:8089/api/v1/events/send");
    }

    @Test
    void urlsUnderTheBaseUrlMapSilently() {
        assertThat(production.resolve("https://app.loops.so/api/v1/events/send", "t.js"))
                .isEqualTo(new LoopsUrls.Target("/v1/events/send", false, "https://app.loops.so/api/v1/events/send"));
        assertThat(production.resolve("https://app.loops.so/api/v1/transactional/", "t.js").path()).isEqualTo("/v1/transactional");
        assertThat(local.resolve("http://127.0.0.1:8089/api/v1/events/send", "t.js").rewritten()).isFalse();
    }

    @Test
    void otherLoopsUrlsMapToTheSameEndpointButAreFlagged() {
        LoopsUrls.Target dashboard = production.resolve("https://api.loops.so/v1/events/send", "t.js");
        assertThat(dashboard.path()).isEqualTo("/v1/events/send");
        assertThat(dashboard.rewritten()).isTrue();

        assertThat(local.resolve("https://app.loops.so/api/v1/events/send", "t.js"))
                .extracting(LoopsUrls.Target::path, LoopsUrls.Target::rewritten)
                .containsExactly("/v1/events/send", true);
        assertThat(local.resolve("https://loops.so/api/v1/transactional", "t.js").path()).isEqualTo("/v1/transactional");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "https://example.com/v1/events/send",
            "https://loops.so.example.com/v1/events/send",
            "https://evilloops.so/v1/events/send",
            "https://app.loops.so@example.com/v1/events/send",
            "http://127.0.0.1:9999/api/v1/events/send"})
    void anyOtherHostIsRefusedBecauseTheLoopsKeyGoesWithTheRequest(String url) {
        assertThatThrownBy(() -> local.resolve(url, "t.js"))
                .isInstanceOf(TransformException.class)
                .hasMessageContaining("transform t.js")
                .hasMessageContaining("this bridge only sends to Loops");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.loops.so/api/v1/contacts/create", "https://api.loops.so/v1/lists",
            "https://app.loops.so/api", "https://app.loops.so/v1/events/send/extra"})
    void onlyTheEventAndTransactionalEndpointsAreAllowed(String url) {
        assertThatThrownBy(() -> production.resolve(url, "t.js"))
                .isInstanceOf(TransformException.class)
                .hasMessageContaining("/v1/events/send and /v1/transactional");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a url", "ftp://app.loops.so/api/v1/events/send", "/v1/events/send"})
    void nonHttpUrlsAreRefused(String url) {
        assertThatThrownBy(() -> production.resolve(url, "t.js"))
                .isInstanceOf(TransformException.class)
                .hasMessageContaining("not an http(s) URL");
    }

    @Test
    void missingUrlIsRefused() {
        assertThatThrownBy(() -> production.resolve(null, "t.js"))
                .isInstanceOf(TransformException.class)
                .hasMessageContaining("set url to nothing");
    }

    @Test
    void messagesLeaveOutQueryStringsThatMayCarryTokens() {
        assertThatThrownBy(() -> production.resolve("https://app.loops.so/api/v1/contacts?key=s3cret", "t.js"))
                .hasMessageNotContaining("s3cret");
    }
}
