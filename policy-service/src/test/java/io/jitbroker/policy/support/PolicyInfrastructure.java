package io.jitbroker.policy.support;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.kafka.RegistrySerdes;

/** The real broker, schema registry and identity provider the ITs run on; no PostgreSQL: policy-service has no database. */
public final class PolicyInfrastructure {

    private PolicyInfrastructure() {
    }

    /** Started, with every topic created as a deployment creates them (three partitions each). */
    public static Infrastructure start() {
        // Before the first Avro class loads, as the service's main does.
        RegistrySerdes.trustEventsPackage();
        Infrastructure infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres());
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        return infra;
    }
}
