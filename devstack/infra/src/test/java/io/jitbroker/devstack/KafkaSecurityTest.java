package io.jitbroker.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.SaslConfigs;
import org.junit.jupiter.api.Test;

class KafkaSecurityTest {

    @Test
    void shouldNameUsersButNoPasswordWhenPrinted() {
        // given
        KafkaSecurity security = KafkaSecurity.withRandomPasswords(KafkaAccess.aclBindings());
        Infrastructure.Options options = Infrastructure.Options.forTests().withKafkaSecurity(security);

        // when
        String printed = security + " " + options;

        // then
        assertEquals(Set.of(KafkaSecurity.ADMIN, KafkaAccess.REQUEST_SERVICE, KafkaAccess.POLICY_SERVICE,
                KafkaAccess.ISSUER_SERVICE, KafkaAccess.REVOCATION_SERVICE, KafkaAccess.ORCHESTRATOR), security.users());
        for (String user : security.users()) {
            assertTrue(printed.contains(user), printed);
            assertFalse(printed.contains(security.password(user)), "the password of " + user + " was printed");
        }
    }

    @Test
    void shouldEscapeQuotesWhenPasswordHasThem() {
        // given
        KafkaSecurity security = KafkaSecurity.withPasswords(Map.of(KafkaSecurity.ADMIN, "a\"b\\c"), KafkaAccess.aclBindings());

        // when
        Object jaas = security.clientConfig(KafkaSecurity.ADMIN).get(SaslConfigs.SASL_JAAS_CONFIG);

        // then
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"admin\" password=\"a\\\"b\\\\c\";", jaas);
    }

    @Test
    void shouldRefuseUsersWhenAdminIsMissing() {
        assertThrows(IllegalArgumentException.class,
                () -> KafkaSecurity.withPasswords(Map.of(KafkaAccess.ISSUER_SERVICE, "secret"), KafkaAccess.aclBindings()));
    }

    @Test
    void shouldRefuseTheNodesOwnUserName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> KafkaSecurity.withPasswords(Map.of(KafkaSecurity.ADMIN, "a", SecureKafkaNode.BROKER_USER, "b"),
                        KafkaAccess.aclBindings()));
        assertTrue(refused.getMessage().contains("reserved for the broker"), refused.getMessage());
    }
}
