package io.jitbroker.issuer.api;

import io.jitbroker.issuer.IssuerMetrics;
import io.jitbroker.issuer.domain.CredentialPickup;
import io.jitbroker.issuer.domain.PickupResult;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where a workload collects the credential of its grant, once. */
@Controller("/v1/grants")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class CredentialController {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialController.class);

    private final CredentialPickup pickup;
    private final IssuerMetrics metrics;

    public CredentialController(CredentialPickup pickup, IssuerMetrics metrics) {
        this.pickup = pickup;
        this.metrics = metrics;
    }

    /** The caller is the workload proven by its bearer token (sub), never anything it says. */
    @Get(uri = "/{grantId}/credential", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> pickUp(@PathVariable String grantId, Authentication caller) {
        UUID id;
        try {
            id = UUID.fromString(grantId);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant_id", "path parameter grantId must be a UUID");
        }
        PickupResult result = pickup.pickUp(id, caller.getName());
        metrics.pickup(result.outcome());
        return switch (result.outcome()) {
            case ISSUED -> {
                LOG.info("workload {} picked up credential {} of grant {} (task {}), expires {}", caller.getName(),
                        result.grant().credentialId(), id, result.grant().taskId(), result.credential().expiresAt());
                yield HttpResponse.ok(new CredentialResponse(result.credential().token(), result.credential().type(),
                                result.credential().expiresAt().toString()))
                        .header(HttpHeaders.CACHE_CONTROL, "no-store")
                        .header(HttpHeaders.PRAGMA, "no-cache");
            }
            case NOT_FOUND -> error(HttpStatus.NOT_FOUND, "grant_not_found", "no grant " + id);
            case NOT_GRANT_WORKLOAD -> {
                LOG.warn("workload {} asked for the credential of grant {}, which belongs to another workload",
                        caller.getName(), id);
                yield error(HttpStatus.FORBIDDEN, "not_grant_workload",
                        "grant " + id + " was issued to another workload");
            }
            case ALREADY_PICKED_UP -> error(HttpStatus.GONE, "credential_already_picked_up",
                    "the credential of grant " + id + " has already been picked up; it is served once");
            case REVOKED -> error(HttpStatus.GONE, "grant_revoked", "grant " + id + " has been revoked");
            case EXPIRED -> error(HttpStatus.GONE, "grant_expired", "grant " + id + " has expired");
        };
    }

    private static HttpResponse<ApiError> error(HttpStatus status, String code, String message) {
        return HttpResponse.<ApiError>status(status).body(new ApiError(code, message))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
