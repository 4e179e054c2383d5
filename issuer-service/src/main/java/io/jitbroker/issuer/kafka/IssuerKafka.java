package io.jitbroker.issuer.kafka;

/** Kafka identity of this service. */
public final class IssuerKafka {

    /** The consumer group of every listener here; also names this service in dead letters. */
    public static final String GROUP_ID = "issuer-service.v1";

    private IssuerKafka() {
    }
}
