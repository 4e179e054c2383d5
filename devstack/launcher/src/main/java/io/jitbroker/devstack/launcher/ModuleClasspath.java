package io.jitbroker.devstack.launcher;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The classpath a built module runs from: its target/classes and the runtime classpath Maven wrote
 * next to them (target/runtime-classpath.txt, by each module's maven-dependency-plugin execution).
 */
public final class ModuleClasspath {

    private ModuleClasspath() {
    }

    /** @throws IllegalStateException, saying how to build it, when the module has not been built */
    public static String of(Path moduleDir) {
        Path classes = moduleDir.resolve("target/classes");
        Path classpathFile = moduleDir.resolve("target/runtime-classpath.txt");
        if (!Files.isDirectory(classes) || !Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(moduleDir.getFileName() + " is not built (missing " + classpathFile
                    + "); run: mvn -B -DskipTests install");
        }
        try {
            return classes + File.pathSeparator + Files.readString(classpathFile).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + classpathFile, e);
        }
    }
}
