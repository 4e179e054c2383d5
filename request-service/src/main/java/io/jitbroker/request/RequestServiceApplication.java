package io.jitbroker.request;

import io.jitbroker.kafka.RegistrySerdes;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** The front door for workloads and the access ledger. */
@OpenAPIDefinition(
        info = @Info(title = "request-service", version = "v1",
                description = "The front door of jit-broker: workloads ask for just-in-time access and report their"
                        + " tasks; SREs approve, revoke and read the ledger. Errors are {\"error\", \"message\"} naming the field."),
        security = @SecurityRequirement(name = "workloadToken"))
@SecurityScheme(name = "workloadToken", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "The caller's workload token: a JWT-SVID whose subject is its SPIFFE ID")
public final class RequestServiceApplication {

    private RequestServiceApplication() {
    }

    public static void main(String[] args) {
        // Avro refuses to build our generated classes unless their package is trusted before its readers load.
        RegistrySerdes.trustEventsPackage();
        Micronaut.run(RequestServiceApplication.class, args);
    }
}
