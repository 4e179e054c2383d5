package io.jitbroker.jitctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.jitbroker.client.JitJson;
import io.jitbroker.client.LedgerEntry;
import io.jitbroker.client.LedgerPage;
import io.jitbroker.client.PolicyExplanation;
import io.jitbroker.client.Resource;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a command prints on its standard output: for people by default, JSON with {@code --output json}. */
final class Printer {

    private static final ObjectWriter JSON = JitJson.mapper().writerWithDefaultPrettyPrinter();

    private final PrintWriter out;
    private final boolean json;

    Printer(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** As JSON, or as aligned {@code label  value} lines (null values left out). */
    void print(Object value, Map<String, Object> lines) {
        if (json) {
            out.println(json(value));
        } else {
            int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
            lines.forEach((label, text) -> {
                if (text != null) {
                    out.println(String.format("%-" + width + "s  %s", label, text));
                }
            });
        }
        out.flush();
    }

    void entry(LedgerEntry entry) {
        print(entry, describe(entry));
    }

    void page(LedgerPage page) {
        if (json) {
            print(page, Map.of());
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("REQUESTED", "STATUS", "REASON", "ENV", "TASK", "WORKLOAD", "REQUEST"));
        for (LedgerEntry e : page.entries()) {
            rows.add(List.of(text(e.requestedAt()), e.status(), text(reason(e)), text(e.environment()), text(e.taskId()),
                    text(e.workloadId()), e.requestId()));
        }
        table(rows);
        if (page.nextCursor() != null) {
            out.println("more: --cursor " + page.nextCursor());
        }
        out.flush();
    }

    void explanation(PolicyExplanation explanation) {
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put("outcome", explanation.outcome());
        lines.put("policy", explanation.policyVersion() + " (" + explanation.evaluatedAgainst() + ")");
        lines.put("granted", explanation.grantedResources().isEmpty() ? null
                : resources(explanation.grantedResources()) + " for " + explanation.grantedTtlSeconds() + "s");
        lines.put("reasons", explanation.reasons().isEmpty() ? null : String.join("; ", explanation.reasons()));
        print(explanation, lines);
        if (json) {
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("RULE", "EFFECT", "MATCHED", "WHY"));
        explanation.evaluations().forEach(e -> rows.add(List.of(e.ruleId(), e.effect(), e.matched() ? "yes" : "no", text(e.why()))));
        out.println();
        table(rows);
        out.flush();
    }

    private void table(List<List<String>> rows) {
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + widths[i] + "s  ", row.get(i)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** The entry for people: what was asked, what was decided, the grant and its end. */
    static Map<String, Object> describe(LedgerEntry e) {
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put("request", e.requestId());
        lines.put("status", e.status() + (e.breakGlass() ? " (break-glass)" : ""));
        lines.put("workload", e.workloadId());
        lines.put("task", e.taskId());
        lines.put("environment", e.environment());
        lines.put("resources", resources(e.resources()));
        lines.put("justification", e.justification());
        lines.put("decision", e.decision() == null ? null
                : e.decision() + (e.denyCode() == null ? "" : " " + e.denyCode())
                + (e.policyVersion() == null ? "" : " (policy " + e.policyVersion() + ")"));
        lines.put("reasons", e.decisionReasons().isEmpty() ? null : String.join("; ", e.decisionReasons()));
        lines.put("approval by", e.approvalDeadline() == null || e.approvedBy() != null ? null : e.approvalDeadline());
        lines.put("answered by", e.approvedBy() == null ? null : e.approvedBy() + ": " + e.approvalReason());
        lines.put("granted", e.grantedResources().isEmpty() ? null
                : resources(e.grantedResources()) + (e.grantedTtlSeconds() == null ? "" : " for " + e.grantedTtlSeconds() + "s"));
        lines.put("grant", e.grantId());
        lines.put("expires", e.expiresAt());
        lines.put("revoked", e.revokedAt() == null ? null : e.revokedAt() + " " + e.revocationReason()
                + (e.revocationDetail() == null ? "" : ": " + e.revocationDetail()));
        lines.put("enforced", e.enforcedAt() == null ? null : e.enforcedAt() + " by " + e.enforcementBackend());
        return lines;
    }

    private static String reason(LedgerEntry e) {
        return e.revocationReason() != null ? e.revocationReason() : e.denyCode();
    }

    static String resources(List<Resource> resources) {
        return resources.stream().map(Resource::toString).collect(Collectors.joining(" "));
    }

    private static String text(Object value) {
        return value == null ? "-" : value.toString();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
