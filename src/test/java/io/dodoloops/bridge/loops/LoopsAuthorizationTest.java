package io.dodoloops.bridge.loops;

import java.util.List;
import java.util.Map;

import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.TestSettings;
import io.dodoloops.bridge.transform.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Loops API key goes only to the configured Loops host, decided in the HTTP client itself: whatever a route or a
 * transform addresses, another host never sees the key.
 */
class LoopsAuthorizationTest {

    private static final String KEY = "test-key-for-the-configured-host";

    @Test
    void onlyTheConfiguredLoopsHostGetsTheKey() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start(); LoopsStandIn elsewhere = LoopsStandIn.start();
             CloseableHttpClient client = loopsClient(loops.baseUrl())) {
            post(client, loops.baseUrl() + "/v1/events/send");
            post(client, elsewhere.baseUrl() + "/v1/events/send");

            assertThat(loops.requests()).singleElement()
                    .satisfies(request -> assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY));
            assertThat(elsewhere.requests()).singleElement()
                    .satisfies(request -> assertThat(request.header("Authorization")).isNull());
        }
    }

    @Test
    void anotherHostIsWarnedAboutOnceAndWithoutTheKey() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start(); LoopsStandIn elsewhere = LoopsStandIn.start();
             CloseableHttpClient client = loopsClient(loops.baseUrl());
             LogCapture log = new LogCapture(LoopsAuthorization.class)) {
            elsewhere.transactionalEmails(List.of(Map.of("id", "cm1", "name", "Receipt", "dataVariables", List.of())));
            post(client, elsewhere.baseUrl() + "/v1/events/send");
            post(client, elsewhere.baseUrl() + "/v1/transactional", "{\"transactionalId\":\"cm1\",\"email\":\"a@example.com\"}");

            assertThat(log.warnings()).singleElement().satisfies(warning -> assertThat(warning)
                    .contains(elsewhere.baseUrl().replace("/api", "")).doesNotContain(KEY));
        }
    }

    @Test
    void theSameHostOnAnotherPortOrSchemeIsAnotherHost() {
        LoopsProperties loops = TestSettings.loops("https://app.loops.so/api", KEY);

        assertThat(loops.isLoopsHost("https", "app.loops.so", -1)).isTrue();
        assertThat(loops.isLoopsHost("https", "APP.LOOPS.SO", 443)).isTrue();
        assertThat(loops.isLoopsHost("http", "app.loops.so", 80)).isFalse();
        assertThat(loops.isLoopsHost("https", "app.loops.so", 8443)).isFalse();
        assertThat(loops.isLoopsHost("https", "api.loops.so", 443)).isFalse();
    }

    private static void post(CloseableHttpClient client, String url) throws Exception {
        post(client, url, "{\"email\":\"a@example.com\",\"eventName\":\"x\"}");
    }

    private static void post(CloseableHttpClient client, String url, String body) throws Exception {
        HttpPost post = new HttpPost(url);
        post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
        int status = client.execute(post, response -> response.getCode());
        assertThat(status).isEqualTo(200);
    }

    /** The client exactly as the bridge builds it (the loopsHttpClient bean), pointed at this Loops. */
    private static CloseableHttpClient loopsClient(String loopsBaseUrl) {
        return new LoopsClient(TestSettings.loops(loopsBaseUrl, KEY)).http();
    }
}
