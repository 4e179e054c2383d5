package io.jitbroker.jitctl;

import io.jitbroker.client.JitClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A subcommand that calls the services: the common options, a client, and where to print. */
abstract class ApiCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    JitClient client() {
        return common.client(((Jitctl) spec.root().userObject()).environment());
    }

    Printer printer() {
        return new Printer(spec.commandLine().getOut(), common.json());
    }

    /** Progress and warnings: never on standard output, which belongs to results (and to run's command). */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
