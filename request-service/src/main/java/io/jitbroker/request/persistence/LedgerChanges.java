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
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells which ledger entries changed, on every instance of the service, as soon as the transaction
 * that changed them commits: PostgreSQL's LISTEN/NOTIFY on a connection of its own (the ledger
 * notifies {@value #CHANNEL} with the request id). A workload waiting for its answer is woken
 * without anyone polling the database. While the connection is down, {@link #listening()} is false
 * and waiters do not wait long.
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
    private volatile Consumer<String> subscriber = requestId -> { };
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

    /** {@code onChange} is called, on this class's thread, with the id of each request whose entry changed. */
    public void subscribe(Consumer<String> onChange) {
        this.subscriber = onChange;
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
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, username, password)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                listening = true;
                LOG.info("listening for ledger changes");
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications(POLL_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            subscriber.accept(notification.getParameter());
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
