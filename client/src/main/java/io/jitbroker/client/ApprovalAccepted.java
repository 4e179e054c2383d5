package io.jitbroker.client;

/** An SRE's answer as published; the ledger changes when policy's resulting decision arrives. */
public record ApprovalAccepted(String requestId, boolean approve, String eventId) {
}
