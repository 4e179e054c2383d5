package io.jitbroker.request.app;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.persistence.Ledger;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;

/** Finds the ledger entry a path names, or answers 404; an id that cannot exist is not looked up. */
@Singleton
public class LedgerLookup {

    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final Ledger ledger;

    public LedgerLookup(Ledger ledger) {
        this.ledger = ledger;
    }

    /** @throws ApiException 404 when no access request has this id */
    public LedgerEntry require(String requestId) {
        if (!REQUEST_ID.matcher(requestId).matches()) {
            throw ApiException.notFound("no access request " + requestId);
        }
        return ledger.find(requestId).orElseThrow(() -> ApiException.notFound("no access request " + requestId));
    }
}
