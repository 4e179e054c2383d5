package io.jitbroker.policy.api;

import io.jitbroker.micronaut.http.ApiError;
import io.jitbroker.policy.app.BundleException;
import io.jitbroker.policy.app.InvalidBundleException;
import io.jitbroker.policy.app.NotReadyException;
import io.jitbroker.policy.app.VersionConflictException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * A bundle operation that did not happen, as an HTTP answer: 400 {@code invalid_policy} with the
 * line, 409 {@code version_conflict}, 503 {@code not_ready} or {@code unavailable}.
 */
@Produces
@Singleton
public class BundleExceptionHandler implements ExceptionHandler<BundleException, HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, BundleException exception) {
        if (exception instanceof InvalidBundleException invalid) {
            return answer(HttpStatus.BAD_REQUEST, new ApiError("invalid_policy", invalid.getMessage(),
                    invalid.line().isPresent() ? invalid.line().getAsInt() : null));
        }
        if (exception instanceof VersionConflictException) {
            return answer(HttpStatus.CONFLICT, new ApiError("version_conflict", exception.getMessage()));
        }
        if (exception instanceof NotReadyException) {
            return answer(HttpStatus.SERVICE_UNAVAILABLE, new ApiError("not_ready", exception.getMessage()));
        }
        // WriteFailedException: Kafka did not acknowledge the bundle; the admin may retry (an identical retry is harmless).
        return answer(HttpStatus.SERVICE_UNAVAILABLE, new ApiError("unavailable", "the bundle could not be written to"
                + " Kafka; it may or may not have been published: check GET /v1/policy/bundles/current and retry"));
    }

    private static HttpResponse<ApiError> answer(HttpStatus status, ApiError error) {
        return HttpResponse.<ApiError>status(status).body(error);
    }
}
