package org.tsumugi.ops.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tsumugi bench}: measurements on this machine, one subcommand each. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Measure the engine on this machine.",
    subcommands = {MemoryBenchmark.class})
public final class BenchCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a benchmark: " + spec.subcommands().keySet());
  }
}
