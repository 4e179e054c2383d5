package io.jitbroker.request;

import io.jitbroker.kafka.RegistrySerdes;
import io.micronaut.runtime.Micronaut;

/** The front door for workloads and the access ledger. */
public final class RequestServiceApplication {

    private RequestServiceApplication() {
    }

    public static void main(String[] args) {
        // Avro refuses to build our generated classes unless their package is trusted before its readers load.
        RegistrySerdes.trustEventsPackage();
        Micronaut.run(RequestServiceApplication.class, args);
    }
}
