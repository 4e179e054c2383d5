package io.jitbroker.issuer.api;

import io.jitbroker.issuer.domain.RevocationStateUnknown;
import io.jitbroker.micronaut.http.ApiError;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;

/**
 * The answer of introspection and pickup while the revocation state of the grant is unknown: 503
 * {@code {"error":"revocation_state_unknown","message":...}} with {@code Retry-After: 1}. The caller
 * treats the credential as not active (or has none yet) and asks again: an instance normally confirms
 * the partition again within a second, and a cut-off instance's partitions move within the consumers'
 * session timeout.
 */
final class RevocationStateUnknownAnswer {

    static final String ERROR = "revocation_state_unknown";

    private RevocationStateUnknownAnswer() {
    }

    static HttpResponse<ApiError> of(RevocationStateUnknown unknown) {
        return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(new ApiError(ERROR, unknown.message()))
                .header(HttpHeaders.RETRY_AFTER, "1")
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}
