package io.jitbroker.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Filters of GET /v1/ledger (SREs only); each is optional and they combine with AND. Build one with
 * {@link #builder()}; {@link #parameters()} gives the query parameters in the server's names.
 */
public record LedgerQuery(String workloadId, String taskId, String environment, String status, String reason,
                          Boolean breakGlass, Boolean active, Instant from, Instant to, Integer limit, String cursor) {

    public static Builder builder() {
        return new Builder();
    }

    /** The set filters, named as the API names them, in a stable order. */
    public Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        put(parameters, "workloadId", workloadId);
        put(parameters, "taskId", taskId);
        put(parameters, "environment", environment);
        put(parameters, "status", status);
        put(parameters, "reason", reason);
        put(parameters, "breakGlass", breakGlass);
        put(parameters, "active", active);
        put(parameters, "from", from);
        put(parameters, "to", to);
        put(parameters, "limit", limit);
        put(parameters, "cursor", cursor);
        return parameters;
    }

    private static void put(Map<String, String> parameters, String name, Object value) {
        if (value != null) {
            parameters.put(name, value.toString());
        }
    }

    public static final class Builder {
        private String workloadId;
        private String taskId;
        private String environment;
        private String status;
        private String reason;
        private Boolean breakGlass;
        private Boolean active;
        private Instant from;
        private Instant to;
        private Integer limit;
        private String cursor;

        private Builder() {
        }

        public Builder workloadId(String workloadId) {
            this.workloadId = workloadId;
            return this;
        }

        public Builder taskId(String taskId) {
            this.taskId = taskId;
            return this;
        }

        public Builder environment(String environment) {
            this.environment = environment;
            return this;
        }

        /** PENDING, PENDING_APPROVAL, APPROVED, DENIED, ISSUED or REVOKED. */
        public Builder status(String status) {
            this.status = status;
            return this;
        }

        /** A deny code or a revocation reason (TASK_COMPLETED, MANUAL, ...). */
        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        public Builder breakGlass(Boolean breakGlass) {
            this.breakGlass = breakGlass;
            return this;
        }

        /** True: issued and not expired. */
        public Builder active(Boolean active) {
            this.active = active;
            return this;
        }

        /** On requestedAt, inclusive. */
        public Builder from(Instant from) {
            this.from = from;
            return this;
        }

        /** On requestedAt, exclusive. */
        public Builder to(Instant to) {
            this.to = to;
            return this;
        }

        /** 1 to 500; the server's default is 50. */
        public Builder limit(Integer limit) {
            this.limit = limit;
            return this;
        }

        public Builder cursor(String cursor) {
            this.cursor = cursor;
            return this;
        }

        public LedgerQuery build() {
            return new LedgerQuery(workloadId, taskId, environment, status, reason, breakGlass, active, from, to, limit,
                    cursor);
        }
    }
}
