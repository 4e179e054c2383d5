package io.jitbroker.request.api;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.testkit.OpenApiDocuments;
import io.micronaut.web.router.Router;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The running request-service documents every route it serves, and serves its document to anyone. */
class OpenApiDocumentIT {

    private static Infrastructure infra;
    private static RunningService service;

    @BeforeAll
    static void start() {
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        service = RunningService.start(infra, Map.of(), Map.of());
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void shouldDocumentEveryRouteWhenTheServiceRuns() {
        OpenApiDocuments.assertEveryRouteDocumented("request-service", service.context().getBean(Router.class));
    }

    @Test
    void shouldServeTheDocumentWithoutATokenWhenAsked() throws Exception {
        OpenApiDocuments.assertServedWithoutAToken("request-service", service.server().getURL().toURI());
    }
}
