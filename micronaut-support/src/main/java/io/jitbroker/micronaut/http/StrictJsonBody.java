package io.jitbroker.micronaut.http;

/**
 * A typed JSON request body (a {@code @Serdeable} record) that {@link StrictJsonBodyReader} reads
 * strictly: every field must have its declared JSON type (no {@code "30"} for a number, no {@code 1.5}
 * for a whole number, no {@code "true"} for a boolean) and no field may be unknown, each failure a 400
 * naming the field. What bean validation and the domain then check comes after.
 *
 * <p>A body's components may be {@code String}, {@code Long}, {@code Integer}, {@code Boolean} (or their
 * primitives), a {@code List} of those, or another {@code StrictJsonBody}.
 */
public interface StrictJsonBody {
}
