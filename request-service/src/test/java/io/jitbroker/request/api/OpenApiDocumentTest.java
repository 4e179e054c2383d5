package io.jitbroker.request.api;

import io.jitbroker.testkit.OpenApiDocuments;
import org.junit.jupiter.api.Test;

/** request-service's OpenAPI document: valid, and the copy in docs/openapi/ is the one the build generates. */
class OpenApiDocumentTest {

    @Test
    void shouldBeValidOpenApi3WhenReadByAThirdPartyParser() {
        OpenApiDocuments.requireValid(OpenApiDocuments.generated("request-service"));
    }

    @Test
    void shouldEqualTheCommittedCopyWhenBuilt() {
        OpenApiDocuments.assertCommittedCopyUpToDate("request-service", OpenApiDocumentTest.class);
    }
}
