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
}
