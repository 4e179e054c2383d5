package io.jitbroker.request.app;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.request.domain.ManualRevocation;
import io.jitbroker.request.domain.RevocationTarget;
import io.jitbroker.request.persistence.Ledger;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds whose grant or task an SRE named, in the ledger: the revocation request is keyed by
 * workload. Unknown grants and tasks are 404; a name that fits several workloads is 409, never a guess.
 */
@Singleton
public class RevocationTargets {

    private final Ledger ledger;

    public RevocationTargets(Ledger ledger) {
        this.ledger = ledger;
    }

    public RevocationTarget resolve(ManualRevocation revocation) {
        return switch (revocation.scope()) {
            case GRANT -> grant(revocation.grantId());
            case TASK -> task(revocation.taskId(), revocation.workloadId());
            case WORKLOAD -> new RevocationTarget(ManualRevocation.Scope.WORKLOAD, revocation.workloadId(), null, null);
        };
    }

    private RevocationTarget grant(String grantId) {
        List<Ledger.GrantHolder> holders = ledger.grantHolders(grantId);
        if (holders.isEmpty()) {
            throw ApiException.notFound("no ledger entry has grant " + grantId);
        }
        if (holders.size() > 1) {
            throw ambiguous("grant " + grantId + " is recorded for several workloads or tasks ("
                    + holders.stream().map(h -> h.workloadId() + " task " + h.taskId()).collect(Collectors.joining(", "))
                    + "); revoke by scope TASK or WORKLOAD instead");
        }
        Ledger.GrantHolder holder = holders.get(0);
        return new RevocationTarget(ManualRevocation.Scope.GRANT, holder.workloadId(), holder.taskId(), grantId);
    }

    private RevocationTarget task(String taskId, String workloadId) {
        List<String> workloads = ledger.workloadsOfTask(taskId);
        if (workloadId != null) {
            if (!workloads.contains(workloadId)) {
                throw ApiException.notFound("workload " + workloadId + " asked no access for task " + taskId);
            }
            return new RevocationTarget(ManualRevocation.Scope.TASK, workloadId, taskId, null);
        }
        if (workloads.isEmpty()) {
            throw ApiException.notFound("no access request names task " + taskId);
        }
        if (workloads.size() > 1) {
            throw ambiguous("task " + taskId + " was used by several workloads " + workloads
                    + "; add workloadId to name one");
        }
        return new RevocationTarget(ManualRevocation.Scope.TASK, workloads.get(0), taskId, null);
    }

    private static ApiException ambiguous(String message) {
        return new ApiException(HttpStatus.CONFLICT, "ambiguous_target", message);
    }
}
