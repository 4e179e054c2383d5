package io.jitbroker.request.persistence;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells which ledger entries changed, on every instance of the service, as soon as the transaction
 * that changed them commits: PostgreSQL's LISTEN/NOTIFY on a connection of its own (the ledger
 * notifies {@value #CHANNEL} with the request id and its new status, {@link LedgerChange}). A
 * workload waiting for its answer is woken without anyone polling the database. While the connection
 * is down, {@link #listening()} is false: waiters do not wait long, and subscribers are told
 * ({@link Subscriber#missedChanges}) when it is back, since changes made meanwhile were not heard.
 */
@Singleton
public class LedgerChanges implements ApplicationEventListener<ApplicationStartupEvent> {

    public static final String CHANNEL = "ledger_changed";
    private static final Logger LOG = LoggerFactory.getLogger(LedgerChanges.class);
    private static final int POLL_MILLIS = 500;
    private static final long RECONNECT_MILLIS = 1000;

    private final String url;
    private final String username;
    private final String password;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean listening;
    private volatile boolean running = true;
    private Thread thread;

    public LedgerChanges(@Value("${datasources.default.url}") String url,
                         @Value("${datasources.default.username}") String username,
                         @Value("${datasources.default.password:}") String password) {
        this.url = url;
        this.username = username;
        this.password = password;
    }

    /** Called on this class's thread. */
    public interface Subscriber {

        void changed(LedgerChange change);

        /** Listening again after the connection was lost: changes made meanwhile were not heard. */
        default void missedChanges() {
        }
    }

    public void subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
    }

    public boolean listening() {
        return listening;
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        thread = new Thread(this::run, "ledger-changes");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        boolean heardBefore = false;
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, username, password)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                listening = true;
                LOG.info("listening for ledger changes");
                if (heardBefore) {
                    subscribers.forEach(Subscriber::missedChanges);
                }
                heardBefore = true;
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            LedgerChange change = LedgerChange.fromPayload(notification.getParameter());
                            subscribers.forEach(subscriber -> subscriber.changed(change));
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("not listening for ledger changes ({}); reconnecting in {} ms", e.toString(), RECONNECT_MILLIS);
                }
            } finally {
                listening = false;
            }
            sleepBeforeReconnecting();
        }
    }

    private void sleepBeforeReconnecting() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @PreDestroy
    void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
