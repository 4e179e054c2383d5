package io.jitbroker.devstack.launcher;

import java.util.List;

/**
 * One of the four services as the dev stack runs it: its Maven module, main class, HTTP port and,
 * if it has one, its database.
 */
public record ServiceSpec(String name, String module, String mainClass, int port, String database) {

    public static List<ServiceSpec> all(DevStackOptions options) {
        return List.of(
                new ServiceSpec("policy-service", "policy-service",
                        "io.jitbroker.policy.PolicyServiceApplication", options.policyPort(), null),
                new ServiceSpec("issuer-service", "issuer-service",
                        "io.jitbroker.issuer.IssuerServiceApplication", options.issuerPort(), "issuer_service"),
                new ServiceSpec("revocation-service", "revocation-service",
                        "io.jitbroker.revocation.RevocationServiceApplication", options.revocationPort(), null),
                new ServiceSpec("request-service", "request-service",
                        "io.jitbroker.request.RequestServiceApplication", options.requestPort(), "request_service"));
    }

    public String url(String host) {
        return "http://" + host + ":" + port;
    }
}
