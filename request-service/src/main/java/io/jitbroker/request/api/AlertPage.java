package io.jitbroker.request.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Answer to GET /v1/alerts, newest first; {@code nextCursor} null on the last page. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AlertPage(List<AlertView> alerts, String nextCursor) {
}
