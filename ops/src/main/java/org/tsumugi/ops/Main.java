package org.tsumugi.ops;

import org.tsumugi.ops.run.ResumeCommand;
import org.tsumugi.ops.run.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tsumugi} command: one subcommand per tool. Only this package maps failures to exit codes. */
@Command(
    name = "tsumugi",
    mixinStandardHelpOptions = true,
    version = "tsumugi 0.1.0",
    description = "LoRA training for diffusion transformers.",
    subcommands = {
      CommandLine.HelpCommand.class,
      EmaCommand.class,
      ForwardCommand.class,
      BenchCommand.class,
      ShowTimestepsCommand.class,
      WatchCommand.class,
      TrainCommand.class,
      ResumeCommand.class,
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new Failures());
    return cli;
  }
}
