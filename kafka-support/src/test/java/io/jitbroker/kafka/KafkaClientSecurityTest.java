package io.jitbroker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientSecurityTest {

    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"issuer-service\" password=\"s3cret\";";

    @Test
    void shouldGiveOnlyTheProtocolWhenPlaintext() {
        assertEquals(Map.of("security.protocol", "PLAINTEXT"), KafkaClientSecurity.plaintext().clientConfig());
    }

    @Test
    void shouldGiveMechanismAndLoginWhenSasl() {
        // when
        Map<String, Object> config = new KafkaClientSecurity("SASL_SSL", "SCRAM-SHA-512", JAAS).clientConfig();

        // then
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS),
                config);
    }

    @Test
    void shouldRefuseSaslWithoutALogin() {
        assertThrows(IllegalArgumentException.class, () -> new KafkaClientSecurity("SASL_PLAINTEXT", "SCRAM-SHA-512", ""));
    }

    @Test
    void shouldNeverPrintThePassword() {
        assertFalse(new KafkaClientSecurity("SASL_SSL", "SCRAM-SHA-512", JAAS).toString().contains("s3cret"));
    }

    @Test
    void shouldLogInWithScramWhenGivenAUserAndPassword() {
        // when
        Map<String, Object> config = KafkaClientSecurity.scram("SASL_SSL", "issuer-service", "s3cret").clientConfig();

        // then
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS),
                config);
    }

    @Test
    void shouldEscapeQuotesWhenThePasswordHasThem() {
        // when
        Object jaas = KafkaClientSecurity.scram("SASL_SSL", "orchestrator", "a\"b\\c").clientConfig().get("sasl.jaas.config");

        // then
        assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"orchestrator\""
                + " password=\"a\\\"b\\\\c\";", jaas);
    }
}
