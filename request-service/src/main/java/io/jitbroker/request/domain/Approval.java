package io.jitbroker.request.domain;

import java.util.Objects;

/**
 * An SRE's answer to a request that waits for approval, as the body said it.
 *
 * @param approve true to approve, false to deny
 * @param reason  the SRE's words, mandatory either way
 */
public record Approval(boolean approve, String reason) {

    public Approval {
        Objects.requireNonNull(reason, "reason");
    }
}
