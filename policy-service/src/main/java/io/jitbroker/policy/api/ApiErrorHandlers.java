package io.jitbroker.policy.api;

import io.jitbroker.policy.bundle.InvalidBundleException;
import io.jitbroker.policy.bundle.NotReadyException;
import io.jitbroker.policy.bundle.VersionConflictException;
import io.jitbroker.policy.bundle.WriteFailedException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** The API's refusals, each as its status and an {@link ApiError}. */
final class ApiErrorHandlers {

    private ApiErrorHandlers() {
    }

    static ApiError invalidPolicy(InvalidBundleException e) {
        return new ApiError("invalid_policy", e.getMessage(), e.line().isPresent() ? e.line().getAsInt() : null);
    }

    @Produces
    @Singleton
    static class Api implements ExceptionHandler<ApiException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, ApiException e) {
            return HttpResponse.<ApiError>status(e.status()).body(e.error());
        }
    }

    /** 400: a document that must not be run; {@code line} says where. */
    @Produces
    @Singleton
    static class InvalidBundle implements ExceptionHandler<InvalidBundleException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, InvalidBundleException e) {
            return HttpResponse.<ApiError>status(HttpStatus.BAD_REQUEST).body(invalidPolicy(e));
        }
    }

    /** 409: versions are immutable. */
    @Produces
    @Singleton
    static class VersionConflict implements ExceptionHandler<VersionConflictException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, VersionConflictException e) {
            return HttpResponse.<ApiError>status(HttpStatus.CONFLICT).body(new ApiError("version_conflict", e.getMessage()));
        }
    }

    /** 503: not caught up with the topic yet. */
    @Produces
    @Singleton
    static class NotReady implements ExceptionHandler<NotReadyException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, NotReadyException e) {
            return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE).body(new ApiError("not_ready", e.getMessage()));
        }
    }

    /** 503: Kafka did not acknowledge the bundle; the admin may retry (an identical retry is harmless). */
    @Produces
    @Singleton
    static class WriteFailed implements ExceptionHandler<WriteFailedException, HttpResponse<ApiError>> {
        @Override
        public HttpResponse<ApiError> handle(HttpRequest request, WriteFailedException e) {
            return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE).body(new ApiError("unavailable",
                    "the bundle could not be written to Kafka; it may or may not have been published: check GET /v1/policy/bundles/current and retry"));
        }
    }
}
