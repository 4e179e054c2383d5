package io.jitbroker.client;

/** The answer to an access request: its id, and its status then (PENDING). */
public record RequestAccepted(String requestId, String status) {
}
