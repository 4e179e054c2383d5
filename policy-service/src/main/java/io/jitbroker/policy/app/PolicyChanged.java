package io.jitbroker.policy.app;

import io.jitbroker.policy.domain.LoadedBundle;

/**
 * Published (as a Micronaut application event) each time this instance starts deciding with
 * another policy version, after {@link CurrentPolicy} has switched. Listeners run on the bundle
 * reader's thread, in order: keep them short (hand heavy work to another thread), since the next version
 * waits for them. A listener that throws is logged and does not stop the reader.
 *
 * @param previous   what ran until now (deny-all at the first load)
 * @param current    what runs from now on
 * @param catchingUp true while the instance is still reading what was published before it started
 *                   (its first load after a start): a listener that reacts to live changes only skips these
 */
public record PolicyChanged(LoadedBundle previous, LoadedBundle current, boolean catchingUp) {
}
