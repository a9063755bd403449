package io.dodoloops.bridge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EmailMaskTest {

    @Test
    void keepsTheFirstLetterAndTheDomain() {
        assertThat(EmailMask.mask("test@acme.com")).isEqualTo("t***@acme.com");
    }

    @Test
    void masksEveryAddressInsideLongerText() {
        assertThat(EmailMask.mask("Loops answered 400: invalid email jane.doe+x@mail.example.org, also b@c.io"))
                .isEqualTo("Loops answered 400: invalid email j***@mail.example.org, also b***@c.io");
    }

    @Test
    void masksAddressesInAnyScript() {
        assertThat(EmailMask.mask("josé.müller@exämple.com")).isEqualTo("j***@exämple.com");
        assertThat(EmailMask.mask("山田@例え.jp")).isEqualTo("山***@例え.jp");
    }

    @Test
    void leavesTextWithoutAddressesAlone() {
        assertThat(EmailMask.mask("no address here")).isEqualTo("no address here");
        assertThat(EmailMask.mask(null)).isNull();
    }
}
