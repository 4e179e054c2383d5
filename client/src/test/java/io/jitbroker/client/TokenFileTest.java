package io.jitbroker.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldGiveTheNewTokenWhenTheFileIsRewritten() throws Exception {
        // given: a SPIFFE agent wrote a token, and it was read once
        Path file = Files.writeString(dir.resolve("jwt-svid"), "token-one\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-23T10:00:00Z")));
        TokenFile tokens = new TokenFile(file);
        assertEquals("token-one", tokens.get());

        // when: the agent rotates it
        Files.writeString(file, "token-two\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-23T10:05:00Z")));

        // then
        assertEquals("token-two", tokens.get());
    }

    @Test
    void shouldNameTheFileWhenItIsMissingOrEmpty() throws Exception {
        // given
        Path empty = Files.writeString(dir.resolve("empty"), " \n");

        // when / then
        JitException missing = assertThrows(JitException.class, () -> new TokenFile(dir.resolve("none")).get());
        JitException blank = assertThrows(JitException.class, () -> new TokenFile(empty).get());
        assertTrue(missing.getMessage().contains("none"), missing.getMessage());
        assertTrue(blank.getMessage().contains("is empty"), blank.getMessage());
    }
}
