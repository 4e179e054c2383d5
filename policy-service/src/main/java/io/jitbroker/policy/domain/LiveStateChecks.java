package io.jitbroker.policy.domain;

/**
 * The checks on what is true of the workload now rather than on what it asks: compromise,
 * environment binding, environment separation and caps, in that order. They come before the
 * rules and apply to break-glass requests too: an emergency never crosses these lines.
 */
final class LiveStateChecks {

    private LiveStateChecks() {
    }

    /** The first check that refuses the request; null when none does. */
    static Denial check(Policy policy, AccessQuery query, WorkloadState state, int distinctResources) {
        Denial denial = compromised(query, state);
        if (denial == null) {
            denial = boundElsewhere(policy, query);
        }
        if (denial == null) {
            denial = separated(policy, query, state);
        }
        if (denial == null) {
            denial = overCap(policy, query, state, distinctResources);
        }
        return denial;
    }

    private static Denial compromised(AccessQuery query, WorkloadState state) {
        return state.compromisedReason()
                .map(reason -> new Denial(DenyCode.WORKLOAD_COMPROMISED, "workload " + query.workloadId()
                        + " is marked compromised (" + reason + "): every request is denied until it is cleared"))
                .orElse(null);
    }

    /** Bound by its identity claim first (what the token says), then by the policy's binding rules. */
    private static Denial boundElsewhere(Policy policy, AccessQuery query) {
        if (policy.environmentClaim().isPresent()) {
            String claim = policy.environmentClaim().get();
            String bound = query.claims().get(claim);
            if (bound != null && !bound.equals(query.environment())) {
                return new Denial(DenyCode.ENVIRONMENT_BINDING, "workload " + query.workloadId() + " is bound to environment '"
                        + bound + "' by its identity claim '" + claim + "', so it gets nothing in " + query.environment());
            }
        }
        for (int i = 0; i < policy.bindings().size(); i++) {
            EnvironmentBinding binding = policy.bindings().get(i);
            if (!binding.environment().equals(query.environment()) && binding.workload().matches(query.workloadId())) {
                return new Denial(DenyCode.ENVIRONMENT_BINDING, "workload " + query.workloadId() + " is bound to environment '"
                        + binding.environment() + "' by bindings[" + i + "] (" + binding.workload().text() + ") of policy "
                        + policy.version() + ", so it gets nothing in " + query.environment());
            }
        }
        return null;
    }

    private static Denial separated(Policy policy, AccessQuery query, WorkloadState state) {
        for (ActiveGrant grant : state.activeGrants()) {
            if (policy.separates(grant.environment(), query.environment())) {
                return new Denial(DenyCode.ENVIRONMENT_SEPARATION, "workload " + query.workloadId() + " holds a grant in "
                        + grant.environment() + " (request " + grant.requestId() + "); policy " + policy.version()
                        + " separates " + grant.environment() + " and " + query.environment()
                        + ", so it gets nothing in " + query.environment() + " until that grant ends");
            }
        }
        return null;
    }

    private static Denial overCap(Policy policy, AccessQuery query, WorkloadState state, int distinctResources) {
        Caps caps = policy.caps();
        if (caps.maxResourcesPerRequest().isPresent() && distinctResources > caps.maxResourcesPerRequest().getAsInt()) {
            return new Denial(DenyCode.TOO_MANY_RESOURCES, distinctResources + " distinct resources requested; policy "
                    + policy.version() + " allows at most " + caps.maxResourcesPerRequest().getAsInt()
                    + " per request (caps.maxResourcesPerRequest)");
        }
        int held = state.activeGrants().size();
        if (caps.maxActiveGrantsPerWorkload().isPresent() && held >= caps.maxActiveGrantsPerWorkload().getAsInt()) {
            return new Denial(DenyCode.TOO_MANY_ACTIVE_GRANTS, "workload " + query.workloadId() + " already holds " + held
                    + " active grant" + (held == 1 ? "" : "s") + " (reserved or issued); policy " + policy.version()
                    + " allows at most " + caps.maxActiveGrantsPerWorkload().getAsInt() + " (caps.maxActiveGrantsPerWorkload)");
        }
        if (caps.maxGrantsPerTask().isPresent()) {
            long forTask = state.activeGrants().stream().filter(grant -> grant.taskId().equals(query.taskId())).count();
            if (forTask >= caps.maxGrantsPerTask().getAsInt()) {
                return new Denial(DenyCode.TOO_MANY_TASK_GRANTS, "task '" + query.taskId() + "' of workload " + query.workloadId()
                        + " already holds " + forTask + " active grant" + (forTask == 1 ? "" : "s") + " (reserved or issued); policy "
                        + policy.version() + " allows at most " + caps.maxGrantsPerTask().getAsInt() + " per task (caps.maxGrantsPerTask)");
            }
        }
        return null;
    }
}
