package io.jitbroker.policy.api;

import io.jitbroker.policy.domain.AccessQuery;
import io.jitbroker.policy.domain.Explanation;
import io.jitbroker.policy.domain.PolicyEngine;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/policy/explain}: what the running policy would decide for a request and what
 * each rule made of it. Publishes nothing; no grant comes of it.
 *
 * <p>No authentication yet (it comes with the policy admin work): until then this endpoint is only
 * as reachable as the service's HTTP listener, which binds to {@code HTTP_HOST}, 127.0.0.1 by
 * default. Do not bind policy-service to a public interface before that lands: the explanation
 * tells a caller exactly which requests the policy would approve.
 */
@Controller("/v1/policy")
public class PolicyExplainController {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyExplainController.class);

    private final PolicyEngine engine;
    private final ExplainRequests requests;

    public PolicyExplainController(PolicyEngine engine, ExplainRequests requests) {
        this.engine = engine;
        this.requests = requests;
    }

    @Post(uri = "/explain", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> explain(@Body @Nullable String body) {
        AccessQuery query;
        try {
            query = requests.read(body);
        } catch (InvalidExplainRequestException e) {
            return HttpResponse.badRequest(e.toError());
        }
        Explanation explanation = engine.explain(query);
        LOG.info("Explained a request from {} in {} (task {}): {} by rules {} of policy {}", query.workloadId(),
                query.environment(), query.taskId().isEmpty() ? "none" : query.taskId(),
                explanation.decision().outcome(), explanation.decision().matchedRules(),
                explanation.decision().policyVersion());
        return HttpResponse.ok(ExplanationView.of(explanation));
    }
}
