package io.dodoloops.bridge.loops;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.TestSettings;
import io.dodoloops.bridge.loops.LoopsReadApi.TransactionalComparison;
import io.dodoloops.bridge.loops.LoopsReadApi.TransactionalEmail;

import static org.assertj.core.api.Assertions.assertThat;

/** Loops' read-only endpoints over loopback HTTP, against the stand-in. */
class LoopsReadApiTest {

    @Test
    void listsTransactionalEmailsOverSeveralPagesAndNamesMissingAndExtraVariables() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start(); LoopsClient client = new LoopsClient(TestSettings.loops(loops.baseUrl(), "k1"))) {
            LoopsReadApi api = new LoopsReadApi(client);
            loops.apiKeys("k1");
            loops.transactionalPageSize(2);
            loops.transactionalEmails(List.of(
                    email("tx_a", "Welcome", List.of("name")),
                    email("tx_b", "Receipt", List.of("amount", "currency", "invoice_url")),
                    email("tx_c", "Refund", List.of("amount"))));

            List<TransactionalEmail> emails = api.transactionalEmails();

            assertThat(emails).extracting(TransactionalEmail::id).containsExactly("tx_a", "tx_b", "tx_c");
            assertThat(loops.reads()).hasSize(2);
            assertThat(loops.reads()).allMatch(r -> "Bearer k1".equals(r.header("Authorization")));

            TransactionalComparison receipt = LoopsReadApi.compare("tx_b", Set.of("amount", "currency", "product_name"), emails);
            assertThat(receipt.found()).isTrue();
            assertThat(receipt.matches()).isFalse();
            assertThat(receipt.missing()).containsExactly("invoice_url");
            assertThat(receipt.extra()).containsExactly("product_name");
            assertThat(io.dodoloops.bridge.admin.Preflight.transactionalCheck("transactional:LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION",
                    "LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION", receipt).message())
                    .isEqualTo("transactional email Receipt (tx_b, LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION): missing invoice_url "
                            + "(declared by the email, not sent); extra product_name (sent, not declared by the email)");

            assertThat(LoopsReadApi.compare("tx_c", Set.of("amount"), emails).matches()).isTrue();
            assertThat(LoopsReadApi.compare("tx_zzz", Set.of("amount"), emails).found()).isFalse();
        }
    }

    @Test
    void theApiKeyAnswerCarriesTheTeamAndTheRateLimitAndABadKeyIs401() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            loops.apiKeys("good");
            loops.teamName("Acme");
            try (LoopsClient client = new LoopsClient(TestSettings.loops(loops.baseUrl(), "good"))) {
                assertThat(new LoopsReadApi(client).apiKey()).isEqualTo(new LoopsReadApi.KeyCheck(200, "Acme", 10, null));
            }
            try (LoopsClient client = new LoopsClient(TestSettings.loops(loops.baseUrl(), "bad"))) {
                LoopsReadApi.KeyCheck bad = new LoopsReadApi(client).apiKey();
                assertThat(bad.status()).isEqualTo(401);
                assertThat(bad.valid()).isFalse();
                assertThat(bad.message()).isEqualTo("Invalid API key");
            }
        }
    }

    private static Map<String, Object> email(String id, String name, List<String> variables) {
        return Map.of("id", id, "name", name, "lastUpdated", "2026-11-01T00:00:00.000Z", "dataVariables", variables);
    }
}
