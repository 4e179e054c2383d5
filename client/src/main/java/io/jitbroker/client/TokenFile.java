package io.jitbroker.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A workload token kept in a file, as a SPIFFE agent (spiffe-helper) writes a JWT-SVID: read again
 * whenever the file's modification time or size changes, so a rotated token is used from the next
 * call on. Surrounding whitespace is ignored.
 */
public final class TokenFile implements Supplier<String> {

    private final Path path;
    private FileTime readAt;
    private long readSize = -1;
    private String token;

    public TokenFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    /** @throws JitException when the file cannot be read or is empty */
    @Override
    public synchronized String get() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (token == null || !attributes.lastModifiedTime().equals(readAt) || attributes.size() != readSize) {
                String read = Files.readString(path, StandardCharsets.UTF_8).strip();
                if (read.isEmpty()) {
                    throw new JitException("token file " + path + " is empty");
                }
                token = read;
                readAt = attributes.lastModifiedTime();
                readSize = attributes.size();
            }
            return token;
        } catch (IOException e) {
            throw new JitException("cannot read token file " + path + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "TokenFile[" + path + "]";
    }
}
