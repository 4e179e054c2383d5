package io.jitbroker.kafka;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * How a service's Kafka clients authenticate: {@code security.protocol} and, for SASL, the
 * mechanism and the JAAS line holding the service's credentials (env {@code KAFKA_SECURITY_PROTOCOL},
 * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}). Every client a service builds itself
 * (Kafka Streams, admin, the policy bundle reader) takes {@link #clientConfig()}; micronaut-kafka's
 * clients read the same keys from {@code kafka.*}.
 */
public record KafkaClientSecurity(String protocol, String mechanism, String jaasConfig) {

    public KafkaClientSecurity {
        Objects.requireNonNull(protocol, "protocol");
        if (isSasl(protocol) && (jaasConfig == null || jaasConfig.isBlank())) {
            throw new IllegalArgumentException("security protocol " + protocol
                    + " needs the service's SASL login (KAFKA_SASL_JAAS_CONFIG)");
        }
    }

    public static KafkaClientSecurity plaintext() {
        return new KafkaClientSecurity("PLAINTEXT", null, null);
    }

    /**
     * A SASL/SCRAM-SHA-512 login as {@code user}, over {@code protocol} ({@code SASL_SSL}, or
     * {@code SASL_PLAINTEXT} inside a private network): what a client outside the services (an
     * orchestrator, a downstream reader) needs with the user and password it was given.
     */
    public static KafkaClientSecurity scram(String protocol, String user, String password) {
        return new KafkaClientSecurity(protocol, "SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule"
                + " required username=\"" + quoted(user) + "\" password=\"" + quoted(password) + "\";");
    }

    private static String quoted(String value) {
        return Objects.requireNonNull(value).replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The client properties; the SASL ones only when the protocol uses SASL. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        if (isSasl(protocol)) {
            config.put(SaslConfigs.SASL_MECHANISM, mechanism);
            config.put(SaslConfigs.SASL_JAAS_CONFIG, jaasConfig);
        }
        return config;
    }

    private static boolean isSasl(String protocol) {
        return protocol.toUpperCase(Locale.ROOT).startsWith("SASL");
    }

    /** Never prints the JAAS line: it holds a password. */
    @Override
    public String toString() {
        return "KafkaClientSecurity[protocol=" + protocol + ", mechanism=" + mechanism + "]";
    }
}
