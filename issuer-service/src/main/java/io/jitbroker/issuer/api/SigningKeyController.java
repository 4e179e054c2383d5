package io.jitbroker.issuer.api;

import io.jitbroker.issuer.domain.SigningKeys;
import io.jitbroker.issuer.domain.SreWorkloads;
import io.jitbroker.issuer.metrics.IssuerMetrics;
import io.jitbroker.micronaut.http.ApiError;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rotation on demand, for SREs (JIT_SRE_WORKLOADS) only: a new key signs from now on; the previous keys
 * keep verifying until the last token they signed expires. It never retires a key early, so it cannot
 * break a live credential; requests racing within a few seconds make one key.
 */
@Controller("/v1/admin/signing-keys")
@Secured(SecurityRule.IS_AUTHENTICATED)
@SecurityRequirement(name = "workloadToken")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SigningKeyController {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyController.class);

    private final SigningKeys keys;
    private final SreWorkloads sres;
    private final IssuerMetrics metrics;

    public SigningKeyController(SigningKeys keys, SreWorkloads sres, IssuerMetrics metrics) {
        this.keys = keys;
        this.sres = sres;
        this.metrics = metrics;
    }

    /** Answers the key that signs from now on; {@code created} is false when a rotation a moment ago already made it. */
    @Post(uri = "/rotate", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> rotate(Authentication caller) {
        if (!sres.contains(caller.getName())) {
            LOG.warn("{} asked to rotate the signing keys but is not an SRE (JIT_SRE_WORKLOADS)", caller.getName());
            return HttpResponse.status(HttpStatus.FORBIDDEN)
                    .body(new ApiError("forbidden", "only SREs (JIT_SRE_WORKLOADS) may rotate the signing keys"));
        }
        SigningKeys.Rotation rotation = keys.rotateNow();
        if (rotation.created()) {
            metrics.signingKeyRotated("operator");
            LOG.info("{} rotated the signing keys: key {} signs from now on; published keys {}", caller.getName(),
                    rotation.kid(), keys.publishedKeyIds());
        } else {
            LOG.info("{} asked to rotate the signing keys; key {} was created moments ago and signs", caller.getName(),
                    rotation.kid());
        }
        return HttpResponse.ok(new RotationResponse(rotation.kid(), rotation.createdAt().toString(), rotation.created(),
                keys.publishedKeyIds())).header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
