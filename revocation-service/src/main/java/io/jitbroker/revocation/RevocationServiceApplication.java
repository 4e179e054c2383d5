package io.jitbroker.revocation;

import io.jitbroker.kafka.RegistrySerdes;
import io.micronaut.runtime.Micronaut;

/** The revoker: a Kafka Streams application that emits exactly one revocation per grant. */
public final class RevocationServiceApplication {

    private RevocationServiceApplication() {
    }

    public static void main(String[] args) {
        // Avro refuses to instantiate the event classes unless their package is trusted; do it before anything loads Avro.
        RegistrySerdes.trustEventsPackage();
        Micronaut.run(RevocationServiceApplication.class, args);
    }
}
