package io.jitbroker.policy.domain;

/** Whether a valid document may be published over the running bundle. */
public final class PublishRules {

    /** The outcome for one submitted version. */
    public enum Verdict {
        /** A new version: publish it. */
        PUBLISH,
        /** The running version with the very same document: nothing to publish. */
        UNCHANGED,
        /** The running version with another document: refused, a version names one document forever. */
        VERSION_CONFLICT,
        /** The version label of the deny-all placeholder: refused, decisions would be ambiguous. */
        RESERVED_VERSION
    }

    private PublishRules() {
    }

    public static Verdict verdict(LoadedBundle running, String version, String document) {
        if (Policy.DENY_ALL_VERSION.equals(version)) {
            return Verdict.RESERVED_VERSION;
        }
        if (!running.version().equals(version)) {
            return Verdict.PUBLISH;
        }
        return running.document().equals(document) ? Verdict.UNCHANGED : Verdict.VERSION_CONFLICT;
    }
}
