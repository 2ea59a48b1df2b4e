package org.tsumugi.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Maps the library's typed failures to a one-line message and an exit code: 2 for bad input (arguments,
 * configuration, files that are not what they should be, a run directory in use or not a run), 1 for anything
 * unexpected (with its stack trace, since that is a bug).
 */
final class Failures implements IExecutionExceptionHandler {

  static final int BAD_INPUT = 2;
  static final int INTERNAL = 1;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    if (isUserError(e)) {
      cmd.getErr().println("tsumugi " + cmd.getCommandName() + ": " + e.getMessage());
      return BAD_INPUT;
    }
    cmd.getErr().println("tsumugi " + cmd.getCommandName() + ": internal error");
    e.printStackTrace(cmd.getErr());
    return INTERNAL;
  }

  private static boolean isUserError(Exception e) {
    return e instanceof IllegalArgumentException
        || e instanceof IOException
        || e instanceof UncheckedIOException
        || e instanceof org.tsumugi.config.ConfigError
        || e instanceof org.tsumugi.actors.run.RunDirectoryException
        || e instanceof org.tsumugi.engine.tensor.ShapeMismatchException
        || e instanceof org.tsumugi.engine.ema.EmaMergeException;
  }
}
