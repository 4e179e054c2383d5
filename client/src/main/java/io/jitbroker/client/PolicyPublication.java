package io.jitbroker.client;

/**
 * The answer to publishing a policy bundle.
 *
 * @param httpStatus 201: published and already deciding; 202: published, loading; 200: the running
 *                   version with the very same document, nothing published
 */
public record PolicyPublication(int httpStatus, String name, String version, String previousVersion) {

    /** A new version was published. */
    public boolean published() {
        return httpStatus != 200;
    }
}
