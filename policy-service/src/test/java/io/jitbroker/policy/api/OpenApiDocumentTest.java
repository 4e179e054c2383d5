package io.jitbroker.policy.api;

import io.jitbroker.testkit.OpenApiDocuments;
import org.junit.jupiter.api.Test;

/** policy-service's OpenAPI document: valid, and the copy in docs/openapi/ is the one the build generates. */
class OpenApiDocumentTest {

    @Test
    void shouldBeValidOpenApi3WhenReadByAThirdPartyParser() {
        OpenApiDocuments.requireValid(OpenApiDocuments.generated("policy-service"));
    }

    @Test
    void shouldEqualTheCommittedCopyWhenBuilt() {
        OpenApiDocuments.assertCommittedCopyUpToDate("policy-service", OpenApiDocumentTest.class);
    }
}
