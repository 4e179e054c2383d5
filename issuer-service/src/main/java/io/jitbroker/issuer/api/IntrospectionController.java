package io.jitbroker.issuer.api;

import io.jitbroker.issuer.domain.DpopPresentation;
import io.jitbroker.issuer.domain.Introspection;
import io.jitbroker.issuer.domain.Introspector;
import io.jitbroker.issuer.metrics.IssuerMetrics;
import io.jitbroker.micronaut.http.ApiError;
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
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7662 token introspection for resource servers. They are workloads too, so the caller must
 * present its own valid bearer token; the token being asked about travels in the form field
 * {@code token}. A resource server that received a DPoP-bound token forwards the request's proof
 * ({@code dpop_proof}) with the method and URL it was made for ({@code htm}, {@code htu}): a bound token
 * is active only with a valid proof (see {@link Introspector}).
 */
@Controller
@Secured(SecurityRule.IS_AUTHENTICATED)
@SecurityRequirement(name = "workloadToken")
@ExecuteOn(TaskExecutors.BLOCKING)
public class IntrospectionController {

    private static final Logger LOG = LoggerFactory.getLogger(IntrospectionController.class);
    private static final Pattern HTTP_METHOD = Pattern.compile("[A-Z]{3,10}");

    private final Introspector introspector;
    private final IssuerMetrics metrics;

    public IntrospectionController(Introspector introspector, IssuerMetrics metrics) {
        this.introspector = introspector;
        this.metrics = metrics;
    }

    /**
     * RFC 7662 introspection: {@code active} true with the credential's claims while it is live, false otherwise.
     * While the issuer cannot tell whether a credential that would be live was revoked meanwhile (its grant's
     * revocations were not confirmed applied within JIT_ISSUER_REVOCATION_MAX_STALENESS), the answer is 503
     * {@code revocation_state_unknown} with {@code Retry-After: 1}, never active: treat the credential as not active
     * and ask again.
     */
    @Post(uri = "/v1/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> introspect(@Body("token") @Nullable String token,
                                      @Body("dpop_proof") @Nullable String dpopProof,
                                      @Body("htm") @Nullable String htm,
                                      @Body("htu") @Nullable String htu,
                                      Authentication caller) {
        if (token == null || token.isBlank()) {
            return badRequest("form field 'token' is required");
        }
        DpopPresentation proof = null;
        if (dpopProof != null && !dpopProof.isBlank()) {
            if (htm == null || !HTTP_METHOD.matcher(htm).matches()) {
                return badRequest("form field 'htm' (the HTTP method the DPoP proof came with, e.g. GET) is required "
                        + "with 'dpop_proof'");
            }
            URI uri = absoluteHttpUri(htu);
            if (uri == null) {
                return badRequest("form field 'htu' (the absolute http(s) URL the DPoP proof came with) is required "
                        + "with 'dpop_proof'");
            }
            proof = new DpopPresentation(dpopProof, htm, uri);
        }
        Introspection result = introspector.introspect(token, proof);
        if (result.unknownState() != null) {
            metrics.revocationStateUnknown("introspect", result.unknownState().reason());
            LOG.debug("{} introspected a token whose revocation state is unknown: {}", caller.getName(),
                    result.unknownState().describe());
            return RevocationStateUnknownAnswer.of(result.unknownState());
        }
        metrics.introspection(result.active(), result.active() ? "none" : result.reason().name());
        if (result.active()) {
            LOG.debug("{} introspected credential {} of grant {}: active ({})", caller.getName(),
                    result.claims().tokenId(), result.claims().grantId(), result.claims().tokenType());
        } else {
            LOG.debug("{} introspected a token: inactive ({})", caller.getName(), result.reason());
        }
        return HttpResponse.ok(IntrospectionResponse.of(result)).header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static URI absoluteHttpUri(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(value);
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return http && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static HttpResponse<ApiError> badRequest(String message) {
        return HttpResponse.<ApiError>status(HttpStatus.BAD_REQUEST).body(new ApiError("invalid_request", message));
    }
}
