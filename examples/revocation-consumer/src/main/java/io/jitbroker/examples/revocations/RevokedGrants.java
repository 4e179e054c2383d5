package io.jitbroker.examples.revocations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The grants this resource server must refuse, kept in memory for every request and in a file for
 * restarts. The consumer commits its offsets only after {@link #save()}: what it will not read
 * again is already on disk, so a restart from the committed offsets forgets nothing. A crash between
 * the save and the commit reads a few revocations twice, which changes nothing (a set).
 *
 * <p>An entry is kept until its credential has expired (plus {@link #CLOCK_SKEW}): after that the
 * token's own {@code exp} refuses it, so the file stays as small as the number of live revoked
 * grants. One line per grant: {@code grantId TAB expiresAt(epoch ms) TAB reason TAB detail}.
 */
public final class RevokedGrants {

    /** What a revoked grant is refused with. */
    public record Entry(String grantId, Instant expiresAt, String reason, String detail) {
    }

    /** Longer than the clock skew a verifier allows on {@code exp} (60 s). */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

    private final Path file;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private RevokedGrants(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** The set saved in {@code file}, or an empty one if there is no file yet. */
    public static RevokedGrants load(Path file, Clock clock) {
        RevokedGrants grants = new RevokedGrants(file, clock);
        if (Files.exists(file)) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] fields = line.split("\t", 4);
                    if (fields.length == 4) {
                        grants.add(new Entry(fields[0], Instant.ofEpochMilli(Long.parseLong(fields[1])), fields[2], fields[3]));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the revoked grants in " + file, e);
            }
        }
        return grants;
    }

    public void add(Entry entry) {
        entries.put(entry.grantId(), new Entry(oneLine(entry.grantId()), entry.expiresAt(), oneLine(entry.reason()),
                oneLine(entry.detail())));
    }

    public Optional<Entry> find(String grantId) {
        return Optional.ofNullable(entries.get(grantId));
    }

    public int size() {
        return entries.size();
    }

    /**
     * Drops the entries whose credentials have expired, then writes the rest durably: a new file,
     * forced to disk, moved over the old one in one step (a crash leaves the old file or the new).
     */
    public synchronized void save() {
        Instant forgetBefore = clock.instant().minus(CLOCK_SKEW);
        entries.values().removeIf(entry -> entry.expiresAt().isBefore(forgetBefore));
        List<String> lines = new ArrayList<>();
        entries.values().forEach(entry -> lines.add(entry.grantId() + "\t" + entry.expiresAt().toEpochMilli() + "\t"
                + entry.reason() + "\t" + entry.detail()));
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = parent.resolve(file.getFileName() + ".tmp");
            Files.write(temporary, lines, StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the revoked grants to " + file, e);
        }
    }

    private static String oneLine(String value) {
        return value == null ? "" : value.replaceAll("[\\t\\r\\n]", " ");
    }
}
