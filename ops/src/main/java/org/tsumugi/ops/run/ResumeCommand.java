package org.tsumugi.ops.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tsumugi.actors.run.Launch;
import org.tsumugi.actors.run.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tsumugi resume RUN_DIR}: continues a run at exactly the step, epoch and batch of its newest good state. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = {"Continue a run from its newest verified state, under the options it was launched with.",
        "A state whose file fails verification is skipped with a warning and the one before it is used."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:finished, or stopped on request after a save", "1:the run failed (its last state is kept)",
        "2:not a run directory, or the run cannot continue"})
public final class ResumeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN_DIR", description = "the run's output_dir")
  Path runDir;

  @Override
  public Integer call() throws IOException, InterruptedException {
    RunDirectory dir = new RunDirectory(runDir);
    if (!Launch.exists(dir)) {
      throw new ParameterException(spec.commandLine(), runDir + " holds no run (no " + dir.launchFile()
          + "); start one with tsumugi train --config FILE");
    }
    return RunProcess.resume(dir, spec.commandLine().getOut());
  }
}
