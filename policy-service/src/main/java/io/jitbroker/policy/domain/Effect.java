package io.jitbroker.policy.domain;

import java.util.Locale;

/** What a matching rule does: grant the actions it names, or take them away (deny overrides allow). */
public enum Effect {
    ALLOW,
    DENY;

    /** How policy files and explanations spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
