package io.jitbroker.devstack;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.utils.SecurityUtils;

/**
 * Turns authentication and ACLs on for the embedded broker: a client must log in with SASL/SCRAM
 * as one of these users, and may then do only what the ACLs allow ({@code admin} may do anything).
 * Passwords stay in memory and are never printed; {@link #toString()} names the users only.
 */
public final class KafkaSecurity {

    /** The super user, for setting up topics and operating the cluster. */
    public static final String ADMIN = "admin";
    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final SecurityProtocol PROTOCOL = SecurityProtocol.SASL_PLAINTEXT;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> passwords;
    private final List<AclBinding> acls;

    private KafkaSecurity(Map<String, String> passwords, Collection<AclBinding> acls) {
        if (!passwords.containsKey(ADMIN)) {
            throw new IllegalArgumentException("the Kafka users must include " + ADMIN);
        }
        if (passwords.containsKey(SecureKafkaNode.BROKER_USER)) {
            // It would share the nodes' own super-user principal.
            throw new IllegalArgumentException("the Kafka user name " + SecureKafkaNode.BROKER_USER
                    + " is reserved for the broker");
        }
        passwords.forEach((user, password) -> {
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("the Kafka user " + user + " has no password");
            }
        });
        this.passwords = Collections.unmodifiableMap(new TreeMap<>(passwords));
        this.acls = List.copyOf(acls);
    }

    /** Users with the caller's passwords (which must include {@link #ADMIN}) and the ACLs to apply. */
    public static KafkaSecurity withPasswords(Map<String, String> passwords, Collection<AclBinding> acls) {
        return new KafkaSecurity(passwords, acls);
    }

    /** {@link #ADMIN} and every user the ACLs name, each with a fresh random password: what a test wants. */
    public static KafkaSecurity withRandomPasswords(Collection<AclBinding> acls) {
        Map<String, String> passwords = new LinkedHashMap<>();
        passwords.put(ADMIN, randomSecret());
        for (AclBinding acl : acls) {
            KafkaPrincipal principal = SecurityUtils.parseKafkaPrincipal(acl.entry().principal());
            passwords.computeIfAbsent(principal.getName(), user -> randomSecret());
        }
        return new KafkaSecurity(passwords, acls);
    }

    /** 256 random bits, URL-safe: nothing to escape in a JAAS line, an env var or a YAML placeholder. */
    public static String randomSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Set<String> users() {
        return passwords.keySet();
    }

    public List<AclBinding> acls() {
        return acls;
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no Kafka user " + user);
        }
        return password;
    }

    /**
     * What a client needs to log in as {@code user} (bootstrap servers aside): {@code security.protocol},
     * {@code sasl.mechanism} and {@code sasl.jaas.config}. The map holds the password: never log it.
     */
    public Map<String, Object> clientConfig(String user) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, PROTOCOL.name,
                SaslConfigs.SASL_MECHANISM, MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, jaasConfig(ScramLoginModule.class.getName(), user, password(user)));
    }

    public static String jaasConfig(String loginModule, String user, String password) {
        return loginModule + " required username=\"" + quoted(user) + "\" password=\"" + quoted(password) + "\";";
    }

    private static String quoted(String value) {
        return Objects.requireNonNull(value).replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "KafkaSecurity[" + MECHANISM + ", users=" + users() + ", acls=" + acls.size() + "]";
    }
}
