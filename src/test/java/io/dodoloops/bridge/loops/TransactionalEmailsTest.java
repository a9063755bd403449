package io.dodoloops.bridge.loops;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** LOOPS_TRANSACTIONAL_<EVENTNAME>=<id>: which Loops emails are sent as transactional emails. */
class TransactionalEmailsTest {

    @Test
    void theVariableIsTheEventNameInCapitals() {
        assertThat(TransactionalEmails.variableFor("payment_confirmation")).isEqualTo("LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION");
        assertThat(TransactionalEmails.variableFor("trial-ending.v2")).isEqualTo("LOOPS_TRANSACTIONAL_TRIAL_ENDING_V2");
    }

    @Test
    void anIdIsFoundByTheEventNameAndABlankOneIsUnset() {
        TransactionalEmails emails = TransactionalEmails.of(Map.of(
                "LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION", " cm_receipt ", "LOOPS_TRANSACTIONAL_PAYMENT_FAILED", " "));

        assertThat(emails.idFor("payment_confirmation")).contains("cm_receipt");
        assertThat(emails.idFor("payment_failed")).isEmpty();
        assertThat(emails.variables()).containsExactly(Map.entry("LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION", "cm_receipt"));
    }

    @Test
    void everySpringSourceCountsAndTheOneSpringPrefersWins() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("arguments", Map.of(
                "LOOPS_TRANSACTIONAL_REFUND_CONFIRMATION", "cm_from_arguments")));
        environment.getPropertySources().addLast(new MapPropertySource("application.yaml", Map.of(
                "LOOPS_TRANSACTIONAL_REFUND_CONFIRMATION", "cm_from_yaml",
                "loops_transactional_subscription_welcome", "cm_welcome",
                "LOOPS_API_KEY", "not-an-email-setting")));

        TransactionalEmails emails = new TransactionalEmails(environment);

        assertThat(emails.variables()).containsOnly(
                Map.entry("LOOPS_TRANSACTIONAL_REFUND_CONFIRMATION", "cm_from_arguments"),
                Map.entry("LOOPS_TRANSACTIONAL_SUBSCRIPTION_WELCOME", "cm_welcome"));
    }
}
