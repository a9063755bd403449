package io.dodoloops.bridge.loops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A Loops body that Loops would reject fails in the bridge, with a reason, before any call is made. */
class LoopsRequestTest {

    @Test
    void aCompleteEventIsAccepted() {
        LoopsRequest request = LoopsRequest.event(Map.of("eventName", "payment_confirmation", "email", "a@b.co",
                "eventProperties", Map.of("amount", "4.00", "count", 1, "first", true), "firstName", "Ann"));

        assertThat(request.path()).isEqualTo("/v1/events/send");
        assertThat(request.recipient()).isEqualTo("a@b.co");
    }

    @Test
    void aUserIdCanStandInForTheEmail() {
        assertThat(LoopsRequest.event(Map.of("eventName", "x", "userId", "u1")).recipient()).isEqualTo("u1");
    }

    @Test
    void contactPropertiesMayBeNullToClearThem() {
        Map<String, Object> body = new HashMap<>(Map.of("eventName", "x", "email", "a@b.co"));
        body.put("plan", null);

        assertThat(LoopsRequest.event(body).body()).containsEntry("plan", null);
    }

    @Test
    void anEventNeedsANameWithoutColons() {
        assertInvalid(Map.of("email", "a@b.co"), "Loops event has no eventName");
        assertInvalid(Map.of("eventName", " ", "email", "a@b.co"), "Loops event has no eventName");
        assertInvalid(Map.of("eventName", "a:b", "email", "a@b.co"), "must not contain ':'");
    }

    @Test
    void anEventNeedsAnEmailOrAUserId() {
        assertInvalid(Map.of("eventName", "x"), "needs an email or a userId");
    }

    @Test
    void contactPropertiesAndEventPropertiesMustBeScalars() {
        assertInvalid(Map.of("eventName", "x", "email", "a@b.co", "properties", Map.of("a", 1)),
                "contact property properties must be a string, number, boolean or null, not an object");
        assertInvalid(Map.of("eventName", "x", "email", "a@b.co", "eventProperties", Map.of("items", List.of(1))),
                "eventProperties.items must be a string, number, boolean or null, not a list");
        assertInvalid(Map.of("eventName", "x", "email", "a@b.co", "eventProperties", "text"),
                "eventProperties must be an object");
    }

    @Test
    void onlyTheEndpointsThatHonourIdempotencyKeysAreAllowed() {
        assertThatThrownBy(() -> new LoopsRequest("/v1/contacts/create", Map.of("email", "a@b.co")))
                .isInstanceOf(InvalidLoopsRequestException.class).hasMessageContaining("not supported");
    }

    @Test
    void aTransactionalEmailNeedsItsIdAndARecipient() {
        assertThat(new LoopsRequest(LoopsRequest.TRANSACTIONAL, Map.of("transactionalId", "t1", "email", "a@b.co")).path())
                .isEqualTo("/v1/transactional");
        assertThatThrownBy(() -> new LoopsRequest(LoopsRequest.TRANSACTIONAL, Map.of("email", "a@b.co")))
                .isInstanceOf(InvalidLoopsRequestException.class).hasMessageContaining("transactionalId");
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', value = {
            "not-an-email|n***",
            "a b@acme.com|a***@acme.com",
            "''|(blank)",
            "'   '|(blank)",
            "bob@|b***@***",
            "@acme.com|?***@acme.com",
            "a@b@acme.com|a***@acme.com",
            "'a@acme.com '|a***@***",
            "'\ta@acme.com'|?***@acme.com"})
    void anEmailLoopsWouldRefuseIsInvalidAndShownMasked(String email, String masked) {
        String unescaped = email.replace("\\t", "\t");
        String reason = "invalid recipient email: " + masked;
        assertInvalid(Map.of("eventName", "x", "email", unescaped), reason);
        assertInvalid(Map.of("eventName", "x", "email", unescaped, "userId", "u1"), reason);
        assertThatThrownBy(() -> new LoopsRequest(LoopsRequest.TRANSACTIONAL, Map.of("transactionalId", "t1", "email", unescaped)))
                .isInstanceOf(InvalidLoopsRequestException.class).hasMessage(reason);
    }

    @Test
    void controlAndInvisibleCharactersMakeAnEmailInvalid() {
        for (String email : new String[] {"a\u0000b@acme.com", "ab@acme.com\n", "a\u200Bb@acme.com", "a\u00A0b@acme.com"}) {
            assertThatThrownBy(() -> LoopsRequest.event(Map.of("eventName", "x", "email", email)))
                    .isInstanceOf(InvalidLoopsRequestException.class).hasMessageStartingWith("invalid recipient email: a***");
        }
    }

    @Test
    void plausibleEmailsAreAccepted() {
        for (String email : new String[] {"a@b.co", "first.last+tag@sub.example.org", "josé@exämple.com", "x@localhost"}) {
            assertThat(LoopsRequest.event(Map.of("eventName", "x", "email", email)).recipient()).isEqualTo(email);
        }
    }

    @Test
    void theMaskedAddressGivesNoMoreAwayThanEmailMask() {
        assertThat(LoopsRequest.maskInvalid("bob acme.com")).isEqualTo("b***").doesNotContain("acme");
        assertThat(io.dodoloops.bridge.EmailMask.mask("invalid recipient email: " + LoopsRequest.maskInvalid("bob smith@acme.com")))
                .isEqualTo("invalid recipient email: b***@acme.com");
    }

    private static void assertInvalid(Map<String, Object> body, String reason) {
        assertThatThrownBy(() -> LoopsRequest.event(body))
                .isInstanceOf(InvalidLoopsRequestException.class).hasMessageContaining(reason);
    }

    // --- transactional emails -------------------------------------------------------------------------------

    @Test
    void dataVariablesTakeStringsAndNumbersSoBooleansBecomeTextAndNullsEmpty() {
        Map<String, Object> variables = new java.util.LinkedHashMap<>();
        variables.put("amount", "4.00");
        variables.put("count", 2);
        variables.put("is_partial", true);
        variables.put("reason", null);

        LoopsRequest request = new LoopsRequest(LoopsRequest.TRANSACTIONAL,
                Map.of("transactionalId", "cm1", "email", "a@b.co", "dataVariables", variables));

        assertThat(request.body().get("dataVariables")).isEqualTo(Map.of("amount", "4.00", "count", 2, "is_partial", "true", "reason", ""));
    }

    @Test
    void aDataVariableThatIsAnObjectOrAListOfValuesIsRefused() {
        assertThatThrownBy(() -> new LoopsRequest(LoopsRequest.TRANSACTIONAL, Map.of("transactionalId", "cm1", "email", "a@b.co",
                "dataVariables", Map.of("plan", Map.of("name", "pro")))))
                .isInstanceOf(InvalidLoopsRequestException.class)
                .hasMessage("dataVariables.plan must be a string or a number (or a list of objects), not an object");
        assertThatThrownBy(() -> new LoopsRequest(LoopsRequest.TRANSACTIONAL, Map.of("transactionalId", "cm1", "email", "a@b.co",
                "dataVariables", Map.of("tags", List.of("a", "b")))))
                .hasMessage("dataVariables.tags must be a string or a number (or a list of objects), not a list of plain values");
        assertThat(new LoopsRequest(LoopsRequest.TRANSACTIONAL, Map.of("transactionalId", "cm1", "email", "a@b.co",
                "dataVariables", Map.of("items", List.of(Map.of("name", "a")))))).as("array data variables").isNotNull();
    }

    @Test
    void aTransactionalEmailTakesOnlyLoopsFields() {
        assertThatThrownBy(() -> new LoopsRequest(LoopsRequest.TRANSACTIONAL, Map.of("transactionalId", "cm1", "email", "a@b.co",
                "userId", "u1")))
                .isInstanceOf(InvalidLoopsRequestException.class)
                .hasMessage("a Loops transactional email has no field 'userId' (it takes addToAudience, attachments, dataVariables,"
                        + " email, transactionalId)");
    }

    @Test
    void anEventBecomesATransactionalEmailForTheSameRecipient() {
        LoopsRequest event = LoopsRequest.event(Map.of("eventName", "refund_confirmation", "email", "a@b.co", "userId", "u1",
                "subscriptionStatus", "active", "eventProperties", Map.of("amount", "4.00", "is_partial", false)));

        LoopsRequest transactional = event.asTransactional("cm1");

        assertThat(transactional.path()).isEqualTo(LoopsRequest.TRANSACTIONAL);
        assertThat(transactional.body()).isEqualTo(Map.of("transactionalId", "cm1", "email", "a@b.co",
                "dataVariables", Map.of("amount", "4.00", "is_partial", "false")));
    }

    @Test
    void anEventWithOnlyAUserIdCannotBeATransactionalEmail() {
        LoopsRequest event = LoopsRequest.event(Map.of("eventName", "x", "userId", "u1"));

        assertThatThrownBy(() -> event.asTransactional("cm1")).isInstanceOf(InvalidLoopsRequestException.class)
                .hasMessage("a Loops transactional email needs transactionalId and email");
    }
}
