package io.jitbroker.issuer.api;

import io.jitbroker.issuer.support.IssuerHarness;
import io.jitbroker.testkit.OpenApiDocuments;
import io.micronaut.web.router.Router;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The running issuer-service documents every route it serves, and serves its document to anyone. */
class OpenApiDocumentIT {

    private static IssuerHarness issuer;

    @BeforeAll
    static void start() {
        issuer = IssuerHarness.start(Map.of());
    }

    @AfterAll
    static void stop() {
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void shouldDocumentEveryRouteWhenTheServiceRuns() {
        OpenApiDocuments.assertEveryRouteDocumented("issuer-service", issuer.context().getBean(Router.class));
    }

    @Test
    void shouldServeTheDocumentWithoutATokenWhenAsked() {
        OpenApiDocuments.assertServedWithoutAToken("issuer-service", URI.create(issuer.issuerUrl()));
    }
}
