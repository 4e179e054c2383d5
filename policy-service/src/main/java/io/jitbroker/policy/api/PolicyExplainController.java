package io.jitbroker.policy.api;

import io.jitbroker.contracts.Topics;
import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.policy.app.CurrentPolicy;
import io.jitbroker.policy.app.NotReadyException;
import io.jitbroker.policy.app.PolicyDocuments;
import io.jitbroker.policy.domain.AccessQuery;
import io.jitbroker.policy.domain.Explanation;
import io.jitbroker.policy.domain.PolicyEngine;
import io.jitbroker.policy.domain.PolicyOperators;
import io.jitbroker.policy.kafka.PolicyBundleReader;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import jakarta.validation.Valid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/policy/explain}: what the running policy (or a proposed document) would decide
 * for a hypothetical request, and what each rule made of it. Publishes nothing; no grant comes of
 * it. Policy admins and SREs only: an explanation tells exactly which requests would be approved.
 */
@Controller("/v1/policy")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PolicyExplainController {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyExplainController.class);

    private final CurrentPolicy current;
    private final PolicyBundleReader reader;
    private final PolicyOperators operators;

    public PolicyExplainController(CurrentPolicy current, PolicyBundleReader reader, PolicyOperators operators) {
        this.current = current;
        this.reader = reader;
        this.operators = operators;
    }

    @Post(uri = "/explain", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<ExplanationView> explain(@Valid @Body ExplainBody body, Authentication authentication) {
        String caller = authentication.getName();
        if (!operators.mayRead(caller)) {
            LOG.warn("{} is neither a policy admin nor an SRE; its explain request was refused", caller);
            throw ApiException.forbidden("only policy admins (JIT_POLICY_ADMINS) and SREs (JIT_SRE_WORKLOADS) may explain decisions");
        }
        AccessQuery query = body.query();
        boolean proposed = body.proposedBundle() != null;
        PolicyEngine engine = proposed ? new PolicyEngine(PolicyDocuments.parse(body.proposedBundle(), "proposedBundle"))
                : runningEngine();
        Explanation explanation = engine.explain(query);
        LOG.info("{} asked to explain a request from {} in {} (task {}) against the {} policy: {} by rules {} of version {}",
                caller, query.workloadId(), query.environment(), query.taskId().isEmpty() ? "none" : query.taskId(),
                proposed ? "proposed" : "running", explanation.decision().outcome(), explanation.decision().matchedRules(),
                explanation.decision().policyVersion());
        return HttpResponse.ok(ExplanationView.of(explanation, proposed ? "proposed" : "current"));
    }

    private PolicyEngine runningEngine() {
        if (!reader.caughtUp()) {
            throw new NotReadyException("policy-service is still reading " + Topics.POLICIES.name()
                    + "; the running policy is not known yet");
        }
        return current.engine();
    }
}
