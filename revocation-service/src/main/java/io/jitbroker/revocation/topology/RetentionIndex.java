package io.jitbroker.revocation.topology;

import io.jitbroker.revocation.domain.TimeKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * What a side of the revoker remembers only for a while, and when it forgets it: a time-ordered
 * index ({@code forgetAt|store|id → store}) over the stores it bounds, range-scanned up to now so
 * a sweep costs what is due, not what is remembered.
 */
final class RetentionIndex {

    private final KeyValueStore<String, String> index;
    private final Map<String, KeyValueStore<String, ?>> forgettable;

    /**
     * @param index       the index store
     * @param forgettable the stores whose entries it forgets, by store name
     */
    RetentionIndex(KeyValueStore<String, String> index, Map<String, KeyValueStore<String, ?>> forgettable) {
        this.index = index;
        this.forgettable = forgettable;
    }

    /** {@code id} of {@code storeName} is forgotten at {@code forgetAt}. */
    void remember(String storeName, String id, Instant forgetAt) {
        index.put(TimeKey.of(forgetAt, storeName + "|" + id), storeName);
    }

    /** Drops the entry made by {@link #remember} with the same arguments (the id is remembered anew). */
    void drop(String storeName, String id, Instant forgetAt) {
        index.delete(TimeKey.of(forgetAt, storeName + "|" + id));
    }

    /** Forgets the entries past their time, at most {@code limit} of them; returns how many. */
    int forgetPastRetention(Instant now, int limit) {
        List<KeyValue<String, String>> due = due(index, now, limit);
        for (KeyValue<String, String> entry : due) {
            String storeName = entry.value;
            String id = TimeKey.idOf(entry.key).substring(storeName.length() + 1);
            KeyValueStore<String, ?> store = forgettable.get(storeName);
            if (store != null) {
                store.delete(id);
            }
            index.delete(entry.key);
        }
        return due.size();
    }

    /**
     * The entries of a time-ordered index at or before {@code now}, earliest first, at most
     * {@code limit}. Reads them all first, so no iterator is open while the caller changes the store.
     */
    static List<KeyValue<String, String>> due(KeyValueStore<String, String> timeIndex, Instant now, int limit) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = timeIndex.range(null, TimeKey.upperBoundThrough(now))) {
            while (it.hasNext() && due.size() < limit) {
                due.add(it.next());
            }
        }
        return due;
    }
}
