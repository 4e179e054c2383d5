package io.jitbroker.micronaut.http;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import java.util.Comparator;

/**
 * A typed request body that breaks a bean validation rule ({@code @NotNull}, {@code @Size}, ...): 400
 * {@code invalid_request} in the one error model, the message naming the field as the body spells it,
 * e.g. {@code resources[0].type: must not be blank}. Several violations: the first by field name, so
 * the answer is the same every time.
 */
@Produces
@Singleton
@Requires(classes = ConstraintViolationException.class)
@Replaces(ConstraintExceptionHandler.class)
public class ConstraintViolationHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ConstraintViolationException exception) {
        String message = exception.getConstraintViolations().stream()
                .map(violation -> field(violation.getPropertyPath()) + ": " + violation.getMessage())
                .min(Comparator.naturalOrder())
                .orElse("the request breaks a rule");
        return HttpResponse.badRequest(new ApiError("invalid_request", message));
    }

    /**
     * {@code submit.body.resources[0].type} as the client knows it: {@code resources[0].type}; a
     * parameter that is not a body (a query value): its name.
     */
    static String field(Path path) {
        StringBuilder field = new StringBuilder();
        String parameter = "the request";
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR
                    || kind == ElementKind.RETURN_VALUE || kind == ElementKind.CROSS_PARAMETER) {
                continue;
            }
            if (node.isInIterable() && node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (kind != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(node.getName());
            }
        }
        return field.isEmpty() ? parameter : field.toString();
    }
}
