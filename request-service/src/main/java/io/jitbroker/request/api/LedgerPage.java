package io.jitbroker.request.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Answer to GET /v1/ledger: entries newest first, each as GET /v1/access-requests/{id} shows it.
 *
 * @param nextCursor pass it as {@code cursor} for the next page; null on the last page
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LedgerPage(List<AccessRequestView> entries, String nextCursor) {
}
