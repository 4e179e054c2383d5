package io.jitbroker.policy.support;

import io.jitbroker.policy.app.PolicyChanged;
import io.micronaut.context.event.ApplicationEventListener;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A bean that observes version changes as the lead's grant re-evaluation will. Test classpath only. */
@Singleton
public class PolicyChangeRecorder implements ApplicationEventListener<PolicyChanged> {

    private final List<PolicyChanged> changes = new CopyOnWriteArrayList<>();

    @Override
    public void onApplicationEvent(PolicyChanged event) {
        changes.add(event);
    }

    public List<PolicyChanged> changes() {
        return List.copyOf(changes);
    }
}
