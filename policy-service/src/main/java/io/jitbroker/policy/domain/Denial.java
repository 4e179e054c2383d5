package io.jitbroker.policy.domain;

/** Why a check refused a request: the code for machines, the reason for humans. */
record Denial(DenyCode code, String reason) {
}
