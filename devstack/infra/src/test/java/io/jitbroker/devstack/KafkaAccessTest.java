package io.jitbroker.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaAccessTest {

    @Test
    void shouldGiveEachTopicOneWriterWhenTopicIsNotSharedOnPurpose() {
        // given
        Set<String> shared = Set.of(Topics.Names.DEAD_LETTERS, Topics.Names.REVOCATION_REQUESTS);

        // when
        Map<String, Set<String>> writers = KafkaAccess.SERVICES.stream()
                .flatMap(access -> access.produces().stream().map(topic -> Map.entry(topic, access.service())))
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toCollection(TreeSet::new))));

        // then
        writers.forEach((topic, services) -> {
            if (!shared.contains(topic)) {
                assertEquals(1, services.size(), topic + " is written by " + services);
            }
        });
        assertEquals(Set.of(KafkaAccess.ISSUER_SERVICE), writers.get(Topics.Names.GRANTS));
        assertEquals(Set.of(KafkaAccess.POLICY_SERVICE), writers.get(Topics.Names.ACCESS_DECISIONS));
        assertEquals(Set.of(KafkaAccess.REVOCATION_SERVICE), writers.get(Topics.Names.REVOCATIONS));
        assertEquals(Set.of(KafkaAccess.REQUEST_SERVICE, KafkaAccess.POLICY_SERVICE),
                writers.get(Topics.Names.REVOCATION_REQUESTS));
        assertEquals(4, writers.get(Topics.Names.DEAD_LETTERS).size());
    }

    @Test
    void shouldGrantOnlyNamedResourcesWhenBuildingAcls() {
        // when
        List<AclBinding> bindings = KafkaAccess.aclBindings();

        // then: no wildcard resource, no cluster-wide right, no deny rule to reason about
        assertFalse(bindings.isEmpty());
        for (AclBinding binding : bindings) {
            assertFalse(binding.pattern().name().equals("*"), binding.toString());
            assertTrue(binding.pattern().resourceType() != ResourceType.CLUSTER, binding.toString());
            assertEquals(AclPermissionType.ALLOW, binding.entry().permissionType(), binding.toString());
            if (binding.pattern().patternType() == PatternType.PREFIXED) {
                assertTrue(binding.pattern().name().endsWith(".v1-"), binding.toString());
            }
        }
    }

    @Test
    void shouldPrintOneKafkaAclsCommandPerResourceWhenRenderingOperatorGuide() {
        // when
        List<String> commands = KafkaAccess.kafkaAclsCommands("kafka:9092", "admin.properties");

        // then
        assertTrue(commands.contains("kafka-acls.sh --bootstrap-server kafka:9092 --command-config admin.properties"
                + " --add --allow-principal User:issuer-service --operation Write --topic " + Topics.Names.GRANTS),
                String.join("\n", commands));
        assertTrue(commands.contains("kafka-acls.sh --bootstrap-server kafka:9092 --command-config admin.properties"
                + " --add --allow-principal User:revocation-service --operation Create --operation Read"
                + " --operation Write --operation Delete"
                + " --resource-pattern-type prefixed --topic revocation-service.v1-"), String.join("\n", commands));
        assertTrue(commands.contains("kafka-acls.sh --bootstrap-server kafka:9092 --command-config admin.properties"
                + " --add --allow-principal User:policy-service --operation Write"
                + " --resource-pattern-type prefixed --transactional-id policy-service.decisions.v1-"),
                String.join("\n", commands));
    }

    @Test
    void shouldLetOrchestratorOnlyWriteTaskEventsWhenBuildingItsAcls() {
        // when
        List<AclBinding> bindings = KafkaAccess.of(KafkaAccess.ORCHESTRATOR).aclBindings();

        // then: one binding, Write on the task events; no group, no transactional id, no cluster right
        assertEquals(1, bindings.size(), bindings.toString());
        AclBinding only = bindings.get(0);
        assertEquals(ResourceType.TOPIC, only.pattern().resourceType());
        assertEquals(Topics.Names.TASK_EVENTS, only.pattern().name());
        assertEquals(PatternType.LITERAL, only.pattern().patternType());
        assertEquals(AclOperation.WRITE, only.entry().operation());
        assertEquals("User:" + KafkaAccess.ORCHESTRATOR, only.entry().principal());
        assertTrue(KafkaAccess.aclBindings().contains(only), "the orchestrator is part of the catalogue");
    }

    @Test
    void shouldLetDownstreamReaderOnlyReadRevocationsInItsOwnGroupsWhenNamed() {
        // when
        KafkaAccess.ServiceAccess downstream = KafkaAccess.downstream("billing-gateway");

        // then
        assertEquals("billing-gateway.revocations", downstream.group());
        assertEquals(Set.of("TOPIC LITERAL " + Topics.Names.REVOCATIONS + " READ",
                        "GROUP PREFIXED billing-gateway.revocations READ"),
                downstream.aclBindings().stream()
                        .map(b -> b.pattern().resourceType() + " " + b.pattern().patternType() + " " + b.pattern().name()
                                + " " + b.entry().operation())
                        .collect(Collectors.toSet()));
    }

    @Test
    void shouldRefuseDownstreamNameWhenItIsNotASafeUserName() {
        for (String name : List.of("", "Billing", "a b", "x;rm", "-x", "a.b", KafkaAccess.REVOCATION_SERVICE,
                KafkaAccess.ORCHESTRATOR)) {
            assertThrows(IllegalArgumentException.class, () -> KafkaAccess.downstream(name), name);
        }
    }
}
