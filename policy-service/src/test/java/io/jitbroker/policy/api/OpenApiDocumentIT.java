package io.jitbroker.policy.api;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.policy.support.PolicyInfrastructure;
import io.jitbroker.policy.support.Quietly;
import io.jitbroker.policy.support.RunningPolicyService;
import io.jitbroker.testkit.OpenApiDocuments;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.web.router.Router;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The running policy-service documents every route it serves, and serves its document to anyone. */
class OpenApiDocumentIT {

    private static Infrastructure infra;
    private static RunningPolicyService service;

    @BeforeAll
    static void start() {
        infra = PolicyInfrastructure.start();
        service = RunningPolicyService.start(infra, Map.of("JIT_POLICY_FILE", "classpath:policies/dev-example.yaml"));
    }

    @AfterAll
    static void stop() {
        Quietly.close(service, infra);
    }

    @Test
    void shouldDocumentEveryRouteWhenTheServiceRuns() {
        OpenApiDocuments.assertEveryRouteDocumented("policy-service", service.context().getBean(Router.class));
    }

    @Test
    void shouldServeTheDocumentWithoutATokenWhenAsked() throws Exception {
        OpenApiDocuments.assertServedWithoutAToken("policy-service",
                service.context().getBean(EmbeddedServer.class).getURL().toURI());
    }
}
