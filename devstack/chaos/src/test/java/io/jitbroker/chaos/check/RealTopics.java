package io.jitbroker.chaos.check;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real embedded broker (KRaft, in this JVM) and schema registry (child process), with every topic
 * of the catalogue (3 partitions) and a writer, for the checker's ITs; no PostgreSQL. Registered as a
 * JUnit extension on a static field: started before the class's tests, stopped after them.
 */
final class RealTopics implements BeforeAllCallback, AfterAllCallback {

    private Infrastructure infra;
    private TopicWriter writer;

    @Override
    public void beforeAll(ExtensionContext context) {
        infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres());
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        writer = new TopicWriter(infra.kafka().bootstrapServers(), infra.registry().nativeApiUrl());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (writer != null) {
            writer.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    String bootstrapServers() {
        return infra.kafka().bootstrapServers();
    }

    String registryUrl() {
        return infra.registry().nativeApiUrl();
    }

    TopicWriter writer() {
        return writer;
    }
}
