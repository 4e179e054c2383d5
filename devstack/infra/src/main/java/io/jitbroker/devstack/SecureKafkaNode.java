package io.jitbroker.devstack;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;

/**
 * How a Kafka node is locked down, as deploy/kafka/server.properties does it, for the embedded broker
 * and the chaos harness's three-node cluster alike: clients log in with SASL/SCRAM on the
 * {@value #CLIENT} listener and may do only what the ACLs allow; the nodes talk to one another and to
 * their controllers as {@value #BROKER_USER} with SASL/PLAIN on {@value #BROKER} and
 * {@value #CONTROLLER} (KRaft cannot use SCRAM there: the SCRAM credentials live in the metadata the
 * controller serves), with a secret made for the run. Then {@link #applySecurity} creates the users
 * and their ACLs through a node's {@value #BROKER} listener ({@link KafkaSecurity} refuses a user of
 * that name).
 */
public final class SecureKafkaNode {

    public static final String CLIENT = "CLIENT";
    public static final String BROKER = "BROKER";
    public static final String CONTROLLER = "CONTROLLER";
    /** The nodes' own identity on their internal listeners: a super user. */
    public static final String BROKER_USER = "broker";

    private static final String PLAIN = "PLAIN";
    private static final int SCRAM_ITERATIONS = 8192;
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(20);

    private SecureKafkaNode() {
    }

    /**
     * Sets the node's listeners on {@code address} ({@value #CLIENT} and {@value #BROKER} advertised,
     * {@value #CONTROLLER} for the quorum), their protocols, the logins each accepts, and the
     * authorizer (deny when no ACL matches; {@value #BROKER_USER} and {@link KafkaSecurity#ADMIN} are
     * super users). The props then hold the secret: never log them.
     */
    public static void configure(Properties props, String address, int clientPort, int brokerPort, int controllerPort,
                                 String brokerSecret) {
        String client = CLIENT + "://" + address + ":" + clientPort;
        String broker = BROKER + "://" + address + ":" + brokerPort;
        props.put("listeners", client + "," + broker + "," + CONTROLLER + "://" + address + ":" + controllerPort);
        props.put("advertised.listeners", client + "," + broker);
        String brokerJaas = PlainLoginModule.class.getName() + " required username=\"" + BROKER_USER
                + "\" password=\"" + brokerSecret + "\" user_" + BROKER_USER + "=\"" + brokerSecret + "\";";
        props.put("listener.security.protocol.map", CLIENT + ":SASL_PLAINTEXT," + BROKER + ":SASL_PLAINTEXT,"
                + CONTROLLER + ":SASL_PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER);
        props.put("inter.broker.listener.name", BROKER);
        props.put("sasl.mechanism.inter.broker.protocol", PLAIN);
        props.put("sasl.mechanism.controller.protocol", PLAIN);
        props.put("listener.name.client.sasl.enabled.mechanisms", KafkaSecurity.MECHANISM);
        props.put("listener.name.client." + KafkaSecurity.MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                ScramLoginModule.class.getName() + " required;");
        props.put("listener.name.broker.sasl.enabled.mechanisms", PLAIN);
        props.put("listener.name.broker.plain.sasl.jaas.config", brokerJaas);
        props.put("listener.name.controller.sasl.enabled.mechanisms", PLAIN);
        props.put("listener.name.controller.plain.sasl.jaas.config", brokerJaas);
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("allow.everyone.if.no.acl.found", "false");
        props.put("super.users", user(BROKER_USER) + ";" + user(KafkaSecurity.ADMIN));
    }

    /** A copy of {@code props} without the logins: what may be written to disk (to format a node's storage). */
    public static Properties withoutSecrets(Properties props) {
        Properties copy = new Properties();
        props.stringPropertyNames().stream().filter(key -> !key.endsWith(SaslConfigs.SASL_JAAS_CONFIG))
                .forEach(key -> copy.put(key, props.getProperty(key)));
        return copy;
    }

    /** A client of the nodes' {@value #BROKER} listeners ({@code host:port,...}) as {@value #BROKER_USER}. */
    public static Map<String, Object> brokerClientConfig(String brokerListeners, String brokerSecret) {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokerListeners,
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name,
                SaslConfigs.SASL_MECHANISM, PLAIN,
                SaslConfigs.SASL_JAAS_CONFIG, KafkaSecurity.jaasConfig(PlainLoginModule.class.getName(), BROKER_USER,
                        brokerSecret));
    }

    /**
     * Upserts every user's SCRAM credential and replaces their ACLs, then waits until the cluster
     * enforces both.
     *
     * @param setup        an admin client on the {@value #BROKER} listener ({@link #brokerClientConfig})
     * @param clientConfig how a client reaches the {@value #CLIENT} listener as a user
     */
    public static void applySecurity(Admin setup, KafkaSecurity security,
                                     Function<String, Map<String, Object>> clientConfig) {
        ScramCredentialInfo scram = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS);
        List<UserScramCredentialAlteration> credentials = security.users().stream()
                .<UserScramCredentialAlteration>map(user -> new UserScramCredentialUpsertion(user, scram, security.password(user)))
                .toList();
        Set<String> principals = new TreeSet<>();
        security.users().forEach(name -> principals.add(user(name)));
        security.acls().forEach(acl -> principals.add(acl.entry().principal()));
        List<AclBindingFilter> previousAcls = principals.stream().map(principal -> new AclBindingFilter(
                ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY))).toList();
        await(setup.alterUserScramCredentials(credentials).all(), "creating the Kafka users");
        await(setup.deleteAcls(previousAcls).all(), "removing the Kafka users' previous ACLs");
        await(setup.createAcls(security.acls()).all(), "creating the Kafka ACLs");
        // The controller answers once the change is committed; the brokers apply it a moment later.
        awaitUntil("the broker to enforce the Kafka ACLs",
                () -> await(setup.describeAcls(AclBindingFilter.ANY).values(), "reading the ACLs").containsAll(security.acls()));
        for (String name : security.users()) {
            awaitUntil("the broker to accept the credentials of " + name, () -> canLogIn(clientConfig.apply(name), name));
        }
    }

    private static boolean canLogIn(Map<String, Object> clientConfig, String user) {
        try (Admin admin = Admin.create(clientConfig)) {
            admin.describeCluster().clusterId().get(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SaslAuthenticationException) {
                return false;
            }
            throw new IllegalStateException("Kafka user " + user + " could not reach the broker", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out logging in to Kafka as " + user, e);
        }
    }

    private static String user(String name) {
        return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, name).toString();
    }

    private static <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(SETUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("timed out " + what, e);
        }
    }

    private static void awaitUntil(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
