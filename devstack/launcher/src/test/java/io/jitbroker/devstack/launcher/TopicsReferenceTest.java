package io.jitbroker.devstack.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jitbroker.contracts.Topics;
import io.jitbroker.testkit.GeneratedFiles;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/TOPICS.md says what the topic catalogue and the ACL catalogue say, and nothing else. */
class TopicsReferenceTest {

    @Test
    void shouldMatchTheCataloguesWhenTopicsMdIsGenerated() {
        GeneratedFiles.assertUpToDate(DevStackOptions.locateRepositoryRoot(), TopicsReference.FILE, TopicsReference.render(),
                TopicsReference.REGENERATE_PROPERTY, TopicsReference.MODULE, TopicsReferenceTest.class);
    }

    @Test
    void shouldNameAWriterAndAReaderOfEveryTopicWhenRendered() {
        // given
        String rendered = TopicsReference.render();

        // when
        List<String> topicRows = rendered.lines().filter(line -> line.startsWith("| `jit.")).toList();

        // then: one row per topic, and none without a service on either side
        assertEquals(Topics.ALL.size(), topicRows.size(), rendered);
        topicRows.forEach(row -> assertFalse(row.contains("| — |"), "a topic no service writes or reads: " + row));
    }
}
