package io.jitbroker.issuer.persistence;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** One element of the {@code grants.resources} JSON array. */
@Serdeable
public record StoredResource(String type, String id, List<String> actions) {
}
