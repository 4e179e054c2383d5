package io.jitbroker.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void shouldNameEveryTopicOnceWithAVersionSuffix() {
        // given the catalogue
        var names = Topics.ALL.stream().map(Topic::name).toList();

        // then
        assertEquals(names.size(), new HashSet<>(names).size(), "duplicate topic names: " + names);
        names.forEach(name -> assertTrue(name.matches("jit\\.[a-z-]+\\.v[0-9]+"), name));
    }

    @Test
    void shouldCompactOnlyThePolicyTopicWhenDescribingTopicsForCreation() {
        // when
        Map<String, NewTopic> topics = Topics.newTopics(3, (short) 1).stream()
                .collect(Collectors.toMap(NewTopic::name, t -> t));

        // then
        assertEquals(Topics.ALL.size(), topics.size());
        assertEquals("compact", topics.get(Topics.POLICIES.name()).configs().get("cleanup.policy"));
        assertTrue(topics.get(Topics.GRANTS.name()).configs() == null
                || !topics.get(Topics.GRANTS.name()).configs().containsKey("cleanup.policy"));
        topics.values().forEach(t -> assertEquals(3, t.numPartitions()));
    }
}
