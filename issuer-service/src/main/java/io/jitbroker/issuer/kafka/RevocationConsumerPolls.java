package io.jitbroker.issuer.kafka;

import io.jitbroker.contracts.Topics;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Runs {@link RevocationCatchUpProbe} on the thread of the consumer of jit.revocations.v1, before each of
 * its polls. micronaut-kafka calls a batch listener only for a poll that returned records, and has no
 * callback for an empty one, yet an idle partition must be confirmed too, with the listener's own
 * consumer (its position is what was applied; no other thread may touch it). So every consumer the
 * application creates is handed out behind a proxy that, for the one subscribed to jit.revocations.v1,
 * calls the probe before delegating {@code poll}; every other call goes straight through.
 */
@Singleton
@SuppressWarnings("rawtypes")
final class RevocationConsumerPolls implements BeanCreatedEventListener<Consumer> {

    private final RevocationCatchUpProbe probe;

    RevocationConsumerPolls(RevocationCatchUpProbe probe) {
        this.probe = probe;
    }

    @Override
    public Consumer onCreated(BeanCreatedEvent<Consumer> event) {
        Consumer<?, ?> consumer = event.getBean();
        return (Consumer) Proxy.newProxyInstance(Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class},
                new ProbingPolls(consumer));
    }

    /** Delegates every call; before a poll of the revocation consumer, runs the probe. */
    private final class ProbingPolls implements InvocationHandler {

        private final Consumer<?, ?> consumer;
        /** Decided at the first poll after subscribing (the consumer is created before it subscribes). */
        private Boolean readsRevocations;

        private ProbingPolls(Consumer<?, ?> consumer) {
            this.consumer = consumer;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            if (method.getName().equals("poll") && readsRevocations()) {
                probe.beforePoll(consumer);
            }
            try {
                return method.invoke(consumer, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private boolean readsRevocations() {
            if (readsRevocations == null && !consumer.subscription().isEmpty()) {
                readsRevocations = consumer.subscription().contains(Topics.Names.REVOCATIONS);
            }
            return Boolean.TRUE.equals(readsRevocations);
        }
    }
}
