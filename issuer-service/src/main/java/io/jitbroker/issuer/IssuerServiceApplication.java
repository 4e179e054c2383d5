package io.jitbroker.issuer;

import io.jitbroker.kafka.RegistrySerdes;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** issuer-service: grants and workload-bound credentials, introspection, revocation enforcement. */
@OpenAPIDefinition(
        info = @Info(title = "issuer-service", version = "v1",
                description = "jit-broker's issuer: a workload picks up the credential of its grant once; resource servers"
                        + " introspect credentials; the public keys credentials are signed with. Every call but the"
                        + " public keys' carries a workload token."))
@SecurityScheme(name = "workloadToken", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT",
        description = "The caller's workload token: a JWT-SVID whose subject is its SPIFFE ID")
@SecurityScheme(name = "dpopProof", type = SecuritySchemeType.APIKEY, in = SecuritySchemeIn.HEADER, paramName = "DPoP",
        description = "RFC 9449 DPoP proof for GET <JIT_ISSUER_URL>/v1/grants/{grantId}/credential, required when the"
                + " grant is bound to a DPoP key (dpopJkt): the credential is then a DPoP-bound token")
public final class IssuerServiceApplication {

    private IssuerServiceApplication() {
    }

    public static void main(String[] args) {
        // Before any Avro reader class loads: allow decoding into the generated event classes.
        RegistrySerdes.trustEventsPackage();
        Micronaut.run(IssuerServiceApplication.class, args);
    }
}
