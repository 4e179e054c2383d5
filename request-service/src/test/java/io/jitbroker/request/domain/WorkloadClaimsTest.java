package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadClaimsTest {

    @Test
    void shouldKeepOnlyStringClaimsThatAreNotRegisteredWhenCopied() {
        // given a verified token's claims as the authentication carries them
        Map<String, Object> claims = new HashMap<>();
        claims.put("iss", "http://127.0.0.1:8086");
        claims.put("sub", "spiffe://dev.local/ci/deployer");
        claims.put("aud", List.of("jit-broker"));
        claims.put("exp", new Date());
        claims.put("nbf", new Date());
        claims.put("iat", new Date());
        claims.put("jti", "3f1c");
        claims.put("environment", "prod");
        claims.put("repository", "acme/orders");
        claims.put("run_attempt", 3L);
        claims.put("groups", List.of("deployers"));
        claims.put("verified", true);

        // when
        Map<String, String> copied = WorkloadClaims.of(claims);

        // then
        assertEquals(Map.of("environment", "prod", "repository", "acme/orders"), copied);
    }

    @Test
    void shouldCopyNothingWhenTheTokenHasOnlyRegisteredClaims() {
        // when
        Map<String, String> copied = WorkloadClaims.of(Map.of("sub", "spiffe://dev.local/ci/deployer", "jti", "x"));

        // then
        assertEquals(Map.of(), copied);
    }
}
