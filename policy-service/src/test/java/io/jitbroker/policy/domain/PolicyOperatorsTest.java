package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PolicyOperatorsTest {

    private static final String ADMIN = "spiffe://dev.local/sre/policy-admin";
    private static final String SRE = "spiffe://dev.local/sre/oncall";
    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";

    @Test
    void shouldLetOnlyAdminsPublishWhenBothListsAreSet() {
        // given
        PolicyOperators operators = PolicyOperators.fromLists(ADMIN, SRE);

        // then
        assertTrue(operators.mayPublish(ADMIN));
        assertFalse(operators.mayPublish(SRE));
        assertFalse(operators.mayPublish(DEPLOYER));
    }

    @Test
    void shouldLetAdminsAndSresReadWhenBothListsAreSet() {
        // given
        PolicyOperators operators = PolicyOperators.fromLists(ADMIN, SRE);

        // then
        assertTrue(operators.mayRead(ADMIN));
        assertTrue(operators.mayRead(SRE));
        assertFalse(operators.mayRead(DEPLOYER));
    }

    @Test
    void shouldLetNobodyPublishOrReadWhenListsAreEmpty() {
        // given: fail closed
        PolicyOperators operators = PolicyOperators.fromLists("", " ");

        // then
        assertFalse(operators.mayPublish(ADMIN));
        assertFalse(operators.mayRead(SRE));
        assertEquals(0, operators.adminCount());
    }

    @Test
    void shouldReadEveryEntryWhenListHasSpacesAndEmptyItems() {
        // given
        PolicyOperators operators = PolicyOperators.fromLists(" " + ADMIN + " ,, " + SRE + " ", null);

        // then
        assertTrue(operators.mayPublish(ADMIN));
        assertTrue(operators.mayPublish(SRE));
        assertEquals(2, operators.adminCount());
    }

    @Test
    void shouldNeverMatchByPrefixWhenCallerExtendsAnAdminId() {
        // given
        PolicyOperators operators = PolicyOperators.fromLists(ADMIN, "");

        // then
        assertFalse(operators.mayPublish(ADMIN + "/evil"));
        assertFalse(operators.mayPublish(ADMIN.toUpperCase(java.util.Locale.ROOT)));
    }

    @Test
    void shouldRefuseConfigurationWhenAnEntryIsNotASpiffeId() {
        // when
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> PolicyOperators.fromLists(ADMIN + ",policy-admin", ""));

        // then
        assertEquals("policy admin 'policy-admin' is not a SPIFFE ID (spiffe://<trust domain>/<path>)", error.getMessage());
    }

    @Test
    void shouldRefuseConfigurationWhenAnEntryHasDotSegments() {
        // when / then
        assertThrows(IllegalArgumentException.class, () -> PolicyOperators.fromLists("", "spiffe://dev.local/sre/../admin"));
    }
}
