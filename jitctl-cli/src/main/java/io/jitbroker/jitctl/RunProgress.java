package io.jitbroker.jitctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitbroker.client.Credential;
import io.jitbroker.client.JitJson;
import io.jitbroker.client.LedgerEntry;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code jitctl run} tells on standard error while it works (its standard output is the
 * command's): lines for people, or with {@code --output json} one JSON object a line, each with an
 * {@code event}. Never the credential: only its type and expiry.
 */
final class RunProgress {

    private static final ObjectMapper JSON = JitJson.mapper();

    private final PrintWriter err;
    private final boolean json;

    RunProgress(PrintWriter err, boolean json) {
        this.err = err;
        this.json = json;
    }

    void requested(String requestId, String taskId, String what) {
        emit("requested", Map.of("requestId", requestId, "taskId", taskId),
                "asked for " + what + " as task " + taskId + " (request " + requestId + ")");
    }

    void statusChanged(LedgerEntry entry) {
        switch (entry.status()) {
            case LedgerEntry.PENDING -> emit("status", status(entry), "waiting for the policy decision");
            case LedgerEntry.PENDING_APPROVAL -> emit("status", status(entry), "waiting for an SRE's approval until "
                    + entry.approvalDeadline() + " (jitctl approve " + entry.requestId() + " --reason TEXT)"
                    + reasons(entry));
            case LedgerEntry.APPROVED -> emit("status", status(entry), "approved; waiting for the credential");
            default -> {
                // ISSUED, DENIED, REVOKED: issued() or notIssued() say what follows
            }
        }
    }

    void issued(LedgerEntry entry, Credential credential) {
        Map<String, Object> fields = status(entry);
        fields.put("grantId", entry.grantId());
        fields.put("credentialType", credential.type());
        fields.put("expiresAt", credential.expiresAt());
        emit("issued", fields, "issued grant " + entry.grantId() + " (" + Printer.resources(entry.grantedResources())
                + "), " + credential.type() + " credential until " + credential.expiresAt());
    }

    void notIssued(LedgerEntry entry) {
        Map<String, Object> fields = status(entry);
        fields.put("denyCode", entry.denyCode());
        fields.put("decisionReasons", entry.decisionReasons());
        fields.put("revocationReason", entry.revocationReason());
        String text = LedgerEntry.REVOKED.equals(entry.status())
                ? "revoked before the command could run: " + entry.revocationReason()
                : "denied" + (entry.denyCode() == null ? "" : " (" + entry.denyCode() + ")") + reasons(entry);
        emit(entry.status().toLowerCase(), fields, text);
    }

    void timedOut(String requestId, String lastStatus) {
        emit("timeout", new LinkedHashMap<>(Map.of("requestId", requestId, "status", String.valueOf(lastStatus))),
                "gave up waiting: request " + requestId + " is still " + lastStatus + " (--wait); its task is cancelled");
    }

    void started(String program, long pid) {
        emit("started", Map.of("pid", pid), "running " + program + " (pid " + pid + ")");
    }

    void signalled(String signal, boolean forwarded) {
        emit("signal", Map.of("signal", signal, "forwarded", forwarded),
                "SIG" + signal + (forwarded ? ": passed to the command" : ": stopping before the command runs"));
    }

    void ended(int exitCode, String reported) {
        emit("ended", Map.of("exitCode", exitCode, "reported", reported),
                "command exited " + exitCode + "; task reported " + reported);
    }

    void warn(String message) {
        emit("warning", Map.of("message", message), "warning: " + message);
    }

    private static Map<String, Object> status(LedgerEntry entry) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("requestId", entry.requestId());
        fields.put("status", entry.status());
        if (entry.approvalDeadline() != null) {
            fields.put("approvalDeadline", entry.approvalDeadline());
        }
        return fields;
    }

    private static String reasons(LedgerEntry entry) {
        return entry.decisionReasons().isEmpty() ? "" : ": " + String.join("; ", entry.decisionReasons());
    }

    private synchronized void emit(String event, Map<String, ?> fields, String text) {
        if (json) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("event", event);
            line.putAll(fields);
            try {
                err.println(JSON.writeValueAsString(line));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            err.println("jitctl: " + text);
        }
        err.flush();
    }
}
