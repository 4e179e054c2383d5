package io.jitbroker.issuer.api;

import io.jitbroker.issuer.domain.CredentialPickup;
import io.jitbroker.issuer.domain.DpopPresentation;
import io.jitbroker.issuer.domain.IssuedCredential;
import io.jitbroker.issuer.domain.MintedCredential;
import io.jitbroker.issuer.domain.PickupResult;
import io.jitbroker.issuer.domain.PostgresLogin;
import io.jitbroker.issuer.domain.SigningKeys;
import io.jitbroker.issuer.metrics.IssuerMetrics;
import io.jitbroker.micronaut.http.ApiError;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
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
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where a workload collects the credential of its grant, once; bound to its DPoP key if it proves one. */
@Controller("/v1/grants")
@Secured(SecurityRule.IS_AUTHENTICATED)
@SecurityRequirement(name = "workloadToken")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CredentialController {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialController.class);
    static final String DPOP_HEADER = "DPoP";

    private final CredentialPickup pickup;
    private final IssuerMetrics metrics;
    private final String issuerUrl;

    public CredentialController(CredentialPickup pickup, IssuerMetrics metrics, @Value("${jit.issuer.url}") String issuerUrl) {
        this.pickup = pickup;
        this.metrics = metrics;
        this.issuerUrl = issuerUrl.endsWith("/") ? issuerUrl.substring(0, issuerUrl.length() - 1) : issuerUrl;
    }

    /**
     * The caller is the workload proven by its bearer token (sub), never anything it says. A DPoP proof
     * is for {@code GET} on JIT_ISSUER_URL followed by {@code /v1/grants/{grantId}/credential}: the issuer's public URL, not
     * whatever host the request came through. The proof comes in the DPoP header (the dpopProof
     * scheme), required when the grant is bound to a DPoP key. While the issuer cannot tell whether the grant
     * was revoked meanwhile (its revocations were not confirmed applied within JIT_ISSUER_REVOCATION_MAX_STALENESS),
     * the answer is 503 {@code revocation_state_unknown} with {@code Retry-After: 1}, and the grant stays pickable.
     */
    @Get(uri = "/{grantId}/credential", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> pickUp(@PathVariable String grantId, Authentication caller, HttpRequest<?> request) {
        UUID id;
        try {
            id = UUID.fromString(grantId);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, "invalid_grant_id", "path parameter grantId must be a UUID");
        }
        List<String> proofs = request.getHeaders().getAll(DPOP_HEADER);
        if (proofs.size() > 1) {
            return error(HttpStatus.BAD_REQUEST, "invalid_dpop_proof", "at most one DPoP header is allowed (RFC 9449)");
        }
        URI credentialUrl = URI.create(issuerUrl + "/v1/grants/" + id + "/credential");
        DpopPresentation proof = proofs.isEmpty() ? null : new DpopPresentation(proofs.get(0), HttpMethod.GET.name(), credentialUrl);
        PickupResult result;
        try {
            result = pickup.pickUp(id, caller.getName(), bearerToken(request), proof);
        } catch (SigningKeys.SigningKeyUnavailableException e) {
            LOG.error("cannot sign the credential of grant {}: {}", id, e.getMessage());
            return error(HttpStatus.SERVICE_UNAVAILABLE, "signing_unavailable",
                    "the issuer cannot sign credentials right now; the grant is untouched, try again later");
        }
        metrics.pickup(result.outcome());
        return switch (result.outcome()) {
            case ISSUED -> {
                LOG.info("workload {} picked up credential {} of grant {} (task {}), {}, expires {}", caller.getName(),
                        result.grant().credentialName(), id, result.grant().taskId(), describe(result.credential()),
                        result.credential().expiresAt());
                yield HttpResponse.ok(CredentialResponse.of(result.credential()))
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
            case DPOP_PROOF_REQUIRED -> error(HttpStatus.BAD_REQUEST, "dpop_proof_required",
                    "grant " + id + " is bound to the DPoP key declared in its access request: send a DPoP header "
                            + "(RFC 9449) signed by that key, with htm GET, htu " + credentialUrl
                            + " and ath the SHA-256 of your bearer token");
            case DPOP_PROOF_INVALID -> {
                LOG.warn("workload {} presented an invalid DPoP proof for grant {}: {}", caller.getName(), id,
                        result.detail());
                yield error(HttpStatus.BAD_REQUEST, "invalid_dpop_proof", "DPoP header: " + result.detail()
                        + " (expected htm GET, htu " + credentialUrl + ", ath the SHA-256 of your bearer token)");
            }
            case TARGET_UNAVAILABLE -> {
                LOG.warn("could not create the database login of grant {} for {}: {}", id, caller.getName(),
                        result.detail());
                yield error(HttpStatus.SERVICE_UNAVAILABLE, "target_unavailable", "the database of grant " + id
                        + " could not create your login right now; the grant is untouched, try again later");
            }
            case REVOCATION_STATE_UNKNOWN -> {
                metrics.revocationStateUnknown("pickup", result.unknownState().reason());
                LOG.debug("refused the pickup of grant {} by {}: {}", id, caller.getName(), result.detail());
                yield RevocationStateUnknownAnswer.of(result.unknownState());
            }
            case DPOP_KEY_MISMATCH -> {
                LOG.warn("workload {} proved a DPoP key for grant {} other than the one its access request declared",
                        caller.getName(), id);
                yield error(HttpStatus.BAD_REQUEST, "dpop_key_mismatch",
                        "the DPoP proof is signed by a key other than the one declared in the access request");
            }
        };
    }

    private static String describe(IssuedCredential credential) {
        if (credential instanceof PostgresLogin login) {
            return "login " + login.username() + " on " + login.endpoint().host() + ":" + login.endpoint().port() + "/"
                    + login.endpoint().database();
        }
        return ((MintedCredential) credential).tokenType() + " token";
    }

    /** The caller's JWT-SVID, as it authenticated: a DPoP proof at pickup must hash it (ath). */
    private static String bearerToken(HttpRequest<?> request) {
        String authorization = request.getHeaders().getAuthorization().orElse("");
        int space = authorization.indexOf(' ');
        if (space < 0 || !authorization.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new IllegalStateException("an authenticated pickup without a bearer token");
        }
        return authorization.substring(space + 1).trim();
    }

    private static HttpResponse<ApiError> error(HttpStatus status, String code, String message) {
        return HttpResponse.<ApiError>status(status).body(new ApiError(code, message))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
