package io.jitbroker.policy;

import io.jitbroker.kafka.RegistrySerdes;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** policy-service: decides every access request from the configured policy, denying by default. */
@OpenAPIDefinition(
        info = @Info(title = "policy-service", version = "v1",
                description = "jit-broker's policy admin API: publish and read policy bundles, explain a decision."
                        + " Decisions themselves travel on Kafka, not HTTP."),
        security = @SecurityRequirement(name = "workloadToken"))
@SecurityScheme(name = "workloadToken", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "The caller's workload token: a JWT-SVID whose subject is its SPIFFE ID (a policy admin)")
public final class PolicyServiceApplication {

    private PolicyServiceApplication() {
    }

    public static void main(String[] args) {
        // Avro must trust the events package before any reader class loads.
        RegistrySerdes.trustEventsPackage();
        Micronaut.run(PolicyServiceApplication.class, args);
    }
}
