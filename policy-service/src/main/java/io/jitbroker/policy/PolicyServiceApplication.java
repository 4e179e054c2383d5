package io.jitbroker.policy;

import io.jitbroker.kafka.RegistrySerdes;
import io.micronaut.runtime.Micronaut;

/** policy-service: decides every access request from the configured policy, denying by default. */
public final class PolicyServiceApplication {

    private PolicyServiceApplication() {
    }

    public static void main(String[] args) {
        // Avro must trust the events package before any reader class loads.
        RegistrySerdes.trustEventsPackage();
        Micronaut.run(PolicyServiceApplication.class, args);
    }
}
