package io.jitbroker.issuer.api;

import io.jitbroker.issuer.IssuerMetrics;
import io.jitbroker.issuer.domain.Introspection;
import io.jitbroker.issuer.domain.Introspector;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7662 token introspection for resource servers. They are workloads too, so the caller must
 * present its own valid bearer token; the token being asked about travels in the form field.
 */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class IntrospectionController {

    private static final Logger LOG = LoggerFactory.getLogger(IntrospectionController.class);

    private final Introspector introspector;
    private final IssuerMetrics metrics;

    public IntrospectionController(Introspector introspector, IssuerMetrics metrics) {
        this.introspector = introspector;
        this.metrics = metrics;
    }

    @Post(uri = "/v1/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> introspect(@Body("token") @Nullable String token, Authentication caller) {
        if (token == null || token.isBlank()) {
            return HttpResponse.status(HttpStatus.BAD_REQUEST)
                    .body(new ApiError("invalid_request", "form field 'token' is required"));
        }
        Introspection result = introspector.introspect(token);
        metrics.introspection(result.active());
        if (result.active()) {
            LOG.debug("{} introspected credential {} of grant {}: active", caller.getName(),
                    result.claims().tokenId(), result.claims().grantId());
        } else {
            LOG.debug("{} introspected a token: inactive ({})", caller.getName(), result.reason());
        }
        return HttpResponse.ok(IntrospectionResponse.of(result)).header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
