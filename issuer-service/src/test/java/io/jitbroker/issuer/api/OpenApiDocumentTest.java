package io.jitbroker.issuer.api;

import io.jitbroker.testkit.OpenApiDocuments;
import org.junit.jupiter.api.Test;

/** issuer-service's OpenAPI document: valid, and the copy in docs/openapi/ is the one the build generates. */
class OpenApiDocumentTest {

    @Test
    void shouldBeValidOpenApi3WhenReadByAThirdPartyParser() {
        OpenApiDocuments.requireValid(OpenApiDocuments.generated("issuer-service"));
    }

    @Test
    void shouldEqualTheCommittedCopyWhenBuilt() {
        OpenApiDocuments.assertCommittedCopyUpToDate("issuer-service", OpenApiDocumentTest.class);
    }
}
