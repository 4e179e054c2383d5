package io.jitbroker.devstack;

import io.jitbroker.contracts.Topics.Names;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.utils.SecurityUtils;

/**
 * Who may do what on the bus. Each service logs in as {@code User:<service>} and may write only the
 * topics it produces and read only the topics it consumes, so nobody else can forge a decision, a
 * grant or a revocation. The broker denies whatever is not listed here.
 *
 * <p>Kafka implies DESCRIBE from READ and WRITE, so producers and consumers get topic metadata
 * without a separate entry. An idempotent producer needs no cluster IDEMPOTENT_WRITE: WRITE on a
 * topic is enough (KIP-679). A Kafka Streams application also owns what is named after its
 * application id: its consumer group (the id itself), and its internal topics and transactional ids
 * (prefix {@code <application.id>-}).
 *
 * <p>Besides the services: orchestrators that report task events straight on Kafka log in as
 * {@code User:orchestrator}, which may write {@code jit.task-events.v1} and nothing else; and each
 * deployment names its downstream readers of revocations ({@link #downstream}), which may read
 * {@code jit.revocations.v1} in a consumer group of their own and nothing else.
 */
public final class KafkaAccess {

    public static final String REQUEST_SERVICE = "request-service";
    public static final String POLICY_SERVICE = "policy-service";
    public static final String ISSUER_SERVICE = "issuer-service";
    public static final String REVOCATION_SERVICE = "revocation-service";
    /** Orchestrators (CI/CD, schedulers) reporting task events on Kafka instead of over HTTP. */
    public static final String ORCHESTRATOR = "orchestrator";
    /** A downstream reader's consumer groups begin with its name plus this: {@code billing-gateway.revocations}. */
    public static final String DOWNSTREAM_GROUP_SUFFIX = ".revocations";
    /**
     * What a principal added per deployment may be called: lower-case letters, digits and hyphens, so
     * that it is safe in a shell word and maps to one password variable
     * ({@code billing-gateway} → {@code KAFKA_BILLING_GATEWAY_PASSWORD}).
     */
    public static final Pattern PRINCIPAL_NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /**
     * What one service (or other principal) may do.
     *
     * @param service the principal's user name
     * @param group its consumer group, or for a Kafka Streams app its application id; null for a
     *              principal that only produces
     * @param streams whether it is a Kafka Streams app (internal topics and transactional ids)
     * @param groupPrefix whether every group whose name begins with {@code group} is its own (one per
     *                    instance, when each instance must read every partition)
     */
    public record ServiceAccess(String service, List<String> produces, List<String> consumes, String group,
                                boolean streams, boolean groupPrefix) {

        /** A principal with exactly one consumer group (or none). */
        public ServiceAccess(String service, List<String> produces, List<String> consumes, String group, boolean streams) {
            this(service, produces, consumes, group, streams, false);
        }

        public ServiceAccess {
            Objects.requireNonNull(service, "service");
            if (group == null && (streams || !consumes.isEmpty())) {
                throw new IllegalArgumentException(service + " consumes, so it needs a consumer group");
            }
            produces = List.copyOf(produces);
            consumes = List.copyOf(consumes);
        }

        public KafkaPrincipal principal() {
            return new KafkaPrincipal(KafkaPrincipal.USER_TYPE, service);
        }

        /** The prefix of a Streams app's internal topics and transactional ids. */
        public String streamsPrefix() {
            return group + "-";
        }

        public List<AclBinding> aclBindings() {
            List<AclBinding> bindings = new ArrayList<>();
            produces.forEach(topic -> bindings.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE)));
            consumes.forEach(topic -> bindings.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ)));
            if (group != null) {
                bindings.add(allow(ResourceType.GROUP, group, groupPrefix ? PatternType.PREFIXED : PatternType.LITERAL,
                        AclOperation.READ));
            }
            if (streams) {
                // Streams creates its repartition and changelog topics and purges consumed repartition
                // records (DELETE: they are kept forever otherwise); EOS v2 names its producers
                // <application.id>-<process id>-<thread>.
                Stream.of(AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE)
                        .forEach(op -> bindings.add(allow(ResourceType.TOPIC, streamsPrefix(), PatternType.PREFIXED, op)));
                bindings.add(allow(ResourceType.TRANSACTIONAL_ID, streamsPrefix(), PatternType.PREFIXED, AclOperation.WRITE));
            }
            return bindings;
        }

        private AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation operation) {
            return new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry(principal().toString(), "*", operation, AclPermissionType.ALLOW));
        }
    }

    /** Producers and consumers as found in each service's main sources; every service dead-letters. */
    public static final List<ServiceAccess> SERVICES = List.of(
            new ServiceAccess(REQUEST_SERVICE,
                    List.of(Names.ACCESS_REQUESTS, Names.TASK_EVENTS, Names.CONTEXT_EVENTS, Names.REVOCATION_REQUESTS,
                            Names.APPROVALS, Names.DEAD_LETTERS),
                    // Alerts and dead letters: the SRE dashboard's projections.
                    List.of(Names.ACCESS_DECISIONS, Names.GRANTS, Names.REVOCATIONS, Names.ENFORCEMENTS, Names.ALERTS,
                            Names.DEAD_LETTERS),
                    "request-service.v1", false),
            // The policy bundles are written by its admin API and read back without a consumer group.
            new ServiceAccess(POLICY_SERVICE,
                    List.of(Names.ACCESS_DECISIONS, Names.ALERTS, Names.REVOCATION_REQUESTS, Names.POLICIES,
                            Names.DEAD_LETTERS),
                    List.of(Names.ACCESS_REQUESTS, Names.APPROVALS, Names.GRANTS, Names.REVOCATIONS,
                            Names.CONTEXT_EVENTS, Names.POLICIES),
                    "policy-service.decisions.v1", true),
            new ServiceAccess(ISSUER_SERVICE,
                    List.of(Names.GRANTS, Names.ENFORCEMENTS, Names.DEAD_LETTERS),
                    List.of(Names.ACCESS_DECISIONS, Names.REVOCATIONS),
                    "issuer-service.v1", false),
            new ServiceAccess(REVOCATION_SERVICE,
                    List.of(Names.REVOCATIONS, Names.DEAD_LETTERS),
                    List.of(Names.TASK_EVENTS, Names.GRANTS, Names.CONTEXT_EVENTS, Names.REVOCATION_REQUESTS),
                    "revocation-service.v1", true));

    /**
     * Task events straight from an orchestrator: an idempotent producer (acks=all) of
     * jit.task-events.v1; no group, no transactional id, no cluster right. What a task event can do
     * is only end access (docs/OPERATIONS.md, "Publishing task events on Kafka").
     */
    public static final ServiceAccess ORCHESTRATOR_ACCESS = new ServiceAccess(ORCHESTRATOR,
            List.of(Names.TASK_EVENTS), List.of(), null, false);

    /** The fixed catalogue: every service, and the orchestrator. Downstream readers come per deployment. */
    public static final List<ServiceAccess> PRINCIPALS = Stream.concat(SERVICES.stream(), Stream.of(ORCHESTRATOR_ACCESS))
            .toList();

    private KafkaAccess() {
    }

    public static ServiceAccess of(String service) {
        return PRINCIPALS.stream().filter(access -> access.service().equals(service)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka access is defined for " + service));
    }

    /**
     * A downstream reader of revocations (a resource server, a gateway): reads jit.revocations.v1 in
     * consumer groups of its own, {@code <name>.revocations} and those beginning with it, nothing else.
     * Every instance of a resource server must see every revocation, so each reads all partitions in a
     * group of its own ({@code billing-gateway.revocations.pod-1}); a group shared by instances would
     * split the partitions between them.
     *
     * @param name its user name, matching {@link #PRINCIPAL_NAME} and not a name of the catalogue
     */
    public static ServiceAccess downstream(String name) {
        if (name == null || !PRINCIPAL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a downstream principal's name must match " + PRINCIPAL_NAME + ", was " + name);
        }
        if (PRINCIPALS.stream().anyMatch(access -> access.service().equals(name))) {
            throw new IllegalArgumentException(name + " is already a principal of the catalogue");
        }
        return new ServiceAccess(name, List.of(), List.of(Names.REVOCATIONS), name + DOWNSTREAM_GROUP_SUFFIX, false, true);
    }

    /** Every ACL of the catalogue (services and orchestrator): what the broker must hold, and nothing more. */
    public static List<AclBinding> aclBindings() {
        return PRINCIPALS.stream().flatMap(access -> access.aclBindings().stream()).toList();
    }

    /** The catalogue's ACLs plus those of these downstream readers ({@link #downstream}): a deployment's broker. */
    public static List<AclBinding> aclBindings(String... downstreamReaders) {
        List<AclBinding> bindings = new ArrayList<>(aclBindings());
        Stream.of(downstreamReaders).forEach(name -> bindings.addAll(downstream(name).aclBindings()));
        return bindings;
    }

    /** Every topic some principal writes or reads, to check against the Topics catalogue. */
    public static Set<String> topics() {
        Set<String> topics = new TreeSet<>();
        PRINCIPALS.forEach(access -> {
            topics.addAll(access.produces());
            topics.addAll(access.consumes());
        });
        return topics;
    }

    /**
     * The same ACLs as {@code kafka-acls.sh} commands, one per principal and resource, for operators
     * setting up a real cluster.
     *
     * @param commandConfig a client properties file logging in as a super user (never a password inline)
     */
    public static List<String> kafkaAclsCommands(String bootstrapServers, String commandConfig) {
        return kafkaAclsCommands(aclBindings(), bootstrapServers, commandConfig);
    }

    /** {@code bindings} as {@code kafka-acls.sh} commands, one per principal and resource. */
    public static List<String> kafkaAclsCommands(List<AclBinding> bindings, String bootstrapServers, String commandConfig) {
        Map<String, List<AclBinding>> byPrincipalAndResource = new LinkedHashMap<>();
        for (AclBinding binding : bindings) {
            byPrincipalAndResource.computeIfAbsent(binding.entry().principal() + " " + binding.pattern(),
                    key -> new ArrayList<>()).add(binding);
        }
        return byPrincipalAndResource.values().stream().map(resourceBindings -> {
            AclBinding first = resourceBindings.get(0);
            StringBuilder command = new StringBuilder("kafka-acls.sh --bootstrap-server ").append(bootstrapServers)
                    .append(" --command-config ").append(commandConfig)
                    .append(" --add --allow-principal ").append(first.entry().principal());
            resourceBindings.forEach(binding -> command.append(" --operation ")
                    .append(SecurityUtils.operationName(binding.entry().operation())));
            ResourcePattern pattern = first.pattern();
            if (pattern.patternType() == PatternType.PREFIXED) {
                command.append(" --resource-pattern-type prefixed");
            }
            command.append(switch (pattern.resourceType()) {
                case TOPIC -> " --topic ";
                case GROUP -> " --group ";
                case TRANSACTIONAL_ID -> " --transactional-id ";
                default -> throw new IllegalStateException("no kafka-acls.sh flag for " + pattern.resourceType());
            }).append(pattern.name());
            return command.toString();
        }).toList();
    }
}
