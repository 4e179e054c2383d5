package io.jitbroker.policy.api;

import io.jitbroker.contracts.Topics;
import io.jitbroker.micronaut.http.ApiError;
import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.policy.app.BundleAdministration.Publication;
import io.jitbroker.policy.app.BundleAdministration;
import io.jitbroker.policy.app.CurrentPolicy;
import io.jitbroker.policy.app.InvalidBundleException;
import io.jitbroker.policy.app.NotReadyException;
import io.jitbroker.policy.app.VersionConflictException;
import io.jitbroker.policy.domain.LoadedBundle;
import io.jitbroker.policy.domain.PolicyOperators;
import io.jitbroker.policy.kafka.PolicyBundleReader;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
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
 * The policy admin API. {@code POST /v1/policy/bundles} publishes a new version of this
 * instance's bundle (policy admins only); {@code GET /v1/policy/bundles/current} shows the
 * running one (admins and SREs).
 */
@Controller("/v1/policy/bundles")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PolicyBundleController {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyBundleController.class);

    private final BundleAdministration administration;
    private final CurrentPolicy current;
    private final PolicyBundleReader reader;
    private final PolicyOperators operators;

    public PolicyBundleController(BundleAdministration administration, CurrentPolicy current, PolicyBundleReader reader,
                                  PolicyOperators operators) {
        this.administration = administration;
        this.current = current;
        this.reader = reader;
        this.operators = operators;
    }

    /** The body is the policy YAML itself (application/yaml, application/x-yaml, text/yaml or text/plain). */
    @Post(consumes = {"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN},
            produces = MediaType.APPLICATION_JSON)
    public HttpResponse<BundleViews.Publication> publish(@Body @Nullable String body, Authentication authentication) {
        return publish(authentication.getName(), body);
    }

    /** The same as JSON: {@code {"document": "the policy YAML"}}. */
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<BundleViews.Publication> publishJson(@Valid @Body BundleBody body, Authentication authentication) {
        return publish(authentication.getName(), body.document());
    }

    private HttpResponse<BundleViews.Publication> publish(String caller, @Nullable String document) {
        // Before the document is parsed: someone who may not publish learns nothing about its validity.
        if (!operators.mayPublish(caller)) {
            LOG.warn("{} is not a policy admin; its bundle was refused", caller);
            throw ApiException.forbidden("only policy admins (JIT_POLICY_ADMINS) may publish policy bundles");
        }
        if (document == null || document.isBlank()) {
            throw ApiException.badRequest("invalid_policy", "the policy document is empty: send the policy YAML as the body");
        }
        Publication publication;
        try {
            publication = administration.publish(caller, document);
        } catch (InvalidBundleException | VersionConflictException e) {
            LOG.info("Refused a bundle from {}: {}", caller, e.getMessage());
            throw e;
        }
        HttpStatus status = switch (publication.status()) {
            case LOADED -> HttpStatus.CREATED;
            case WRITTEN -> HttpStatus.ACCEPTED;
            case UNCHANGED -> HttpStatus.OK;
        };
        return HttpResponse.<BundleViews.Publication>status(status).body(new BundleViews.Publication(publication.name(),
                publication.version(), publication.previousVersion()));
    }

    @Get(uri = "/current", produces = MediaType.APPLICATION_JSON)
    public BundleViews.Current current(Authentication authentication) {
        String caller = authentication.getName();
        if (!operators.mayRead(caller)) {
            LOG.warn("{} is neither a policy admin nor an SRE; it may not read the policy bundle", caller);
            throw ApiException.forbidden("only policy admins (JIT_POLICY_ADMINS) and SREs (JIT_SRE_WORKLOADS) may read the policy");
        }
        if (!reader.caughtUp()) {
            throw new NotReadyException("policy-service is still reading " + Topics.POLICIES.name());
        }
        LoadedBundle bundle = current.bundle();
        if (bundle.isDenyAll()) {
            throw new ApiException(HttpStatus.NOT_FOUND, new ApiError("not_found", "no version of bundle '" + bundle.name()
                    + "' has been published: every request is denied"));
        }
        return new BundleViews.Current(bundle.name(), bundle.version(), bundle.publishedBy(), bundle.publishedAt(),
                bundle.document());
    }
}
