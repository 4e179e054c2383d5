package io.jitbroker.chaos.check;

import java.util.List;

/**
 * The checker's verdict on a run.
 *
 * @param flows                 flows the driver started
 * @param accepted              of them, access requests the system accepted (202)
 * @param lost                  accepted requests that did not reach a terminal status, completed tasks
 *                              whose grant has no revocation, and grants past their TTL not revoked
 * @param doubled               requests with more than one decision, requests with more than one grant,
 *                              and grants with more than one revocation
 * @param staleActiveMaxMs      the longest time after a grant's revocation record at which introspection
 *                              of its credential was sent and still answered active (0 if never)
 * @param unexpectedDeadLetters records on jit.dead-letters.v1 the run did not inject
 * @param ledgerMismatches      requests whose ledger entry disagrees with the topics
 * @param violations            the first violations found, each in one line (capped; the counts are whole)
 */
public record CheckResult(int flows, int accepted, int lost, int doubled, long staleActiveMaxMs,
                          int unexpectedDeadLetters, int ledgerMismatches, List<String> violations) {

    /** The longest an introspection may answer active after its grant's revocation record for the run to pass. */
    public static final long STALE_ACTIVE_LIMIT_MS = 5_000;

    public CheckResult {
        violations = List.copyOf(violations);
    }

    /** Every promise kept. */
    public boolean passed() {
        return lost == 0 && doubled == 0 && staleActiveMaxMs <= STALE_ACTIVE_LIMIT_MS && unexpectedDeadLetters == 0
                && ledgerMismatches == 0;
    }
}
