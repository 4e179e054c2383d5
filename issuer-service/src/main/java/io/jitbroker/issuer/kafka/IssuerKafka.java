package io.jitbroker.issuer.kafka;

/** Kafka identity of this service. */
public final class IssuerKafka {

    /** The consumer group of every listener here; also names this service in dead letters. */
    public static final String GROUP_ID = "issuer-service.v1";

    /** The client id of the consumer of jit.revocations.v1, also its id in micronaut-kafka's ConsumerRegistry. */
    public static final String REVOCATIONS_CLIENT_ID = "issuer-service-revocations";

    private IssuerKafka() {
    }
}
