package io.jitbroker.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Files in the repository that are generated from the code (deploy/CONFIGURATION.md, the Kafka
 * scripts, docs/TOPICS.md, docs/openapi/): a test fails when one differs from what the code gives, and
 * says how to regenerate it; with the regenerate property set to true it rewrites the file first.
 */
public final class GeneratedFiles {

    private GeneratedFiles() {
    }

    /**
     * @param root               the repository root
     * @param relativePath       the file, relative to the repository root
     * @param regenerateProperty the system property that rewrites it, e.g. {@code jit.deploy.regenerate}
     * @param module             the Maven module of the test, e.g. {@code devstack/launcher}
     * @param testClass          the test that checks it (named in the regenerate command)
     */
    public static void assertUpToDate(Path root, String relativePath, String expected, String regenerateProperty,
                                      String module, Class<?> testClass) {
        Path file = root.resolve(relativePath);
        try {
            if (Boolean.getBoolean(regenerateProperty)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, expected);
            }
            String actual = Files.exists(file) ? Files.readString(file) : "";
            if (!expected.equals(actual)) {
                fail(relativePath + " differs from what the code generates; regenerate it with\n  "
                        + regenerateCommand(regenerateProperty, module, testClass) + "\nFirst difference at line "
                        + firstDifferentLine(expected, actual) + ". Expected file:\n" + expected);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String regenerateCommand(String regenerateProperty, String module, Class<?> testClass) {
        return "mvn -B -o test -pl " + module + " -Dtest=" + testClass.getSimpleName() + " -D" + regenerateProperty + "=true";
    }

    private static int firstDifferentLine(String expected, String actual) {
        List<String> a = expected.lines().toList();
        List<String> b = actual.lines().toList();
        int line = 0;
        while (line < a.size() && line < b.size() && a.get(line).equals(b.get(line))) {
            line++;
        }
        return line + 1;
    }
}
