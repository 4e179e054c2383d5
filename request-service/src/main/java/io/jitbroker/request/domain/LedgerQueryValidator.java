package io.jitbroker.request.domain;

import io.jitbroker.contracts.SpiffeId;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads GET /v1/ledger's parameters into a {@link LedgerQuery}; every failure names the parameter.
 * Unknown parameters are refused: an auditor who misspells a filter must not get the whole ledger.
 */
public final class LedgerQueryValidator {

    public static final String WORKLOAD_ID = "workloadId";
    public static final String TASK_ID = "taskId";
    public static final String ENVIRONMENT = "environment";
    public static final String STATUS = "status";
    public static final String REASON = "reason";
    public static final String BREAK_GLASS = "breakGlass";
    public static final String ACTIVE = "active";
    public static final String FROM = "from";
    public static final String TO = "to";
    private static final Set<String> PARAMETERS = Set.of(WORKLOAD_ID, TASK_ID, ENVIRONMENT, STATUS, REASON, BREAK_GLASS,
            ACTIVE, FROM, TO, PageRequest.LIMIT, PageRequest.CURSOR);

    private final Set<String> reasonCodes;

    /** @param reasonCodes every deny code and every revocation reason there is */
    public LedgerQueryValidator(Set<String> reasonCodes) {
        if (reasonCodes.isEmpty()) {
            throw new IllegalArgumentException("no reason codes");
        }
        this.reasonCodes = Set.copyOf(reasonCodes);
    }

    /** @param now the instant {@code active=true} is judged at */
    public LedgerQuery parse(QueryParameters parameters, Instant now) {
        parameters.allowOnly(PARAMETERS);
        String workloadId = parameters.parsed(WORKLOAD_ID, LedgerQueryValidator::workloadId);
        String taskId = parameters.parsed(TASK_ID, value -> AccessRequestValidator.requireTaskId(TASK_ID, value));
        String environment = parameters.parsed(ENVIRONMENT, LedgerQueryValidator::environment);
        LedgerStatus status = parameters.enumValue(STATUS, LedgerStatus.class);
        String reason = parameters.parsed(REASON, this::reason);
        Boolean breakGlass = parameters.bool(BREAK_GLASS);
        Boolean active = parameters.bool(ACTIVE);
        if (Boolean.FALSE.equals(active)) {
            // "Not active" would mix denied, pending, revoked and expired: ask for a status instead.
            throw new InvalidRequestException(ACTIVE, ACTIVE + " only takes true (live grants); for others filter by status");
        }
        Instant from = parameters.instant(FROM);
        Instant to = parameters.instant(TO);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new InvalidRequestException(TO, "to must be after from");
        }
        PageRequest page = PageRequest.from(parameters);
        return new LedgerQuery(workloadId, taskId, environment, status, reason, breakGlass,
                active == null ? null : now, from, to, page);
    }

    private static String workloadId(String value) {
        if (!SpiffeId.isWorkloadId(value)) {
            throw new InvalidRequestException(WORKLOAD_ID,
                    WORKLOAD_ID + " must be a SPIFFE workload ID (spiffe://<trust domain>/<path>)");
        }
        return value;
    }

    private static String environment(String value) {
        if (value.length() > KnownEnvironments.MAX_NAME_LENGTH) {
            throw new InvalidRequestException(ENVIRONMENT,
                    ENVIRONMENT + " must be at most " + KnownEnvironments.MAX_NAME_LENGTH + " characters");
        }
        return value;
    }

    private String reason(String value) {
        if (!reasonCodes.contains(value)) {
            throw new InvalidRequestException(REASON, REASON + " must be a deny code or a revocation reason: "
                    + String.join(", ", new TreeSet<>(reasonCodes)));
        }
        return value;
    }
}
