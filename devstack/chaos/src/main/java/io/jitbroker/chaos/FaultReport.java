package io.jitbroker.chaos;

import io.jitbroker.bench.FlowRecorder;
import java.util.Locale;

/**
 * One fault's figures, from the flows that started between its injection and the end of its
 * recovery (plus a settling time).
 *
 * @param fault           what was done
 * @param target          to what
 * @param recoverySeconds from the repair (process started again, link up) until every broker is in
 *                        sync again and every instance healthy
 * @param flows           what the flows of the window saw
 */
record FaultReport(String fault, String target, double recoverySeconds, FlowRecorder flows) {

    String describe() {
        return String.format(Locale.ROOT, "%s [%s]: recovered in %.1f s; flows: %s%n    longest wait for a 202 %.0f ms, "
                        + "for a credential %.0f ms, revocation max %.0f ms, 503 answers %d, failed %d",
                fault, target, recoverySeconds, flows.describe(), flows.acceptedMaxMs(), flows.credentialMaxMs(),
                flows.revokedMicros().getMaxValue() / 1000.0, flows.unavailable(), flows.failed());
    }
}
