package io.jitbroker.issuer;

import io.jitbroker.kafka.RegistrySerdes;
import io.micronaut.runtime.Micronaut;

/** issuer-service: grants and workload-bound credentials, introspection, revocation enforcement. */
public final class IssuerServiceApplication {

    private IssuerServiceApplication() {
    }

    public static void main(String[] args) {
        // Before any Avro reader class loads: allow decoding into the generated event classes.
        RegistrySerdes.trustEventsPackage();
        Micronaut.run(IssuerServiceApplication.class, args);
    }
}
