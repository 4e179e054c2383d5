package io.jitbroker.chaos.check;

import java.util.List;

/**
 * What the load driver saw of one flow, in wall-clock milliseconds (epoch), for the checker to hold
 * against the topics and the ledger. The driver is a client like any other: it may have seen less
 * than happened (an answer lost with an instance), never more.
 *
 * @param workloadId        the workload's SPIFFE ID
 * @param taskId            the task the flow asked access for
 * @param requestId         from the 202 of the access request; null if no request was ever accepted
 * @param acceptedAtMillis  when that 202 arrived (0 if none)
 * @param grantId           the grant the ledger named when the request was issued; null if never seen
 * @param taskEndedAtMillis when the driver's task COMPLETED event was accepted (0 if it never was)
 * @param revocationReadAtMillis when the driver read the grant's revocation (read_committed), so when it
 *                          was visible at the latest; 0 if it never did
 * @param introspections    every introspection of the flow's credential, in the order sent
 */
public record FlowObservation(String workloadId, String taskId, String requestId, long acceptedAtMillis,
                              String grantId, long taskEndedAtMillis, long revocationReadAtMillis,
                              List<Introspection> introspections) {

    public FlowObservation {
        introspections = List.copyOf(introspections);
    }

    /** One introspection call and what it answered. */
    public record Introspection(long sentAtMillis, long answeredAtMillis, Answer answer) {
    }

    /**
     * ACTIVE and INACTIVE are introspection's 200 answers; FAIL_CLOSED is the issuer's 503
     * revocation_state_unknown (it could not know whether the credential was revoked); ERROR is
     * anything else, a transport failure included.
     */
    public enum Answer { ACTIVE, INACTIVE, FAIL_CLOSED, ERROR }
}
