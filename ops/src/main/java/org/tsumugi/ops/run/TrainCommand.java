package org.tsumugi.ops.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code tsumugi train [--config run.conf] [--resume] [--<option> value ...]}: runs a LoRA training; without a run
 * file, the embedded default (a small generated model and dataset in ./tsumugi-default).
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {"Train a LoRA as configured in a HOCON run file; options on the command line (the reference's "
        + "spellings, e.g. --learning_rate 2e-4 --network_args \"loraplus_lr_ratio=4\") override the file.",
        "Without --config: the embedded default run on a generated model and dataset in ./tsumugi-default."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:finished, or stopped on request after a save", "1:the run failed (its last state is kept)",
        "2:bad options or files, or the run directory does not allow the run"})
public final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "the run file (HOCON)")
  Path config;

  @Option(names = "--resume", description = "continue the run already in output_dir if there is one "
      + "(from its newest verified state)")
  boolean resume;

  @Option(names = "--default-dir", paramLabel = "DIR", defaultValue = "tsumugi-default",
      description = "where the embedded default writes its model, dataset and runs (default: ${DEFAULT-VALUE})")
  Path defaultDir;

  /** The start time a new run records (what its LoRA metadata shows); set to reproduce another run's files exactly. */
  @Option(names = "--started-at", paramLabel = "MILLIS", hidden = true)
  Long startedAt;

  @Unmatched List<String> options = new ArrayList<>();

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path runFile = config;
    if (runFile == null) {
      runFile = EmbeddedDefault.prepare(defaultDir, spec.commandLine().getOut());
    }
    long start = startedAt != null ? startedAt : System.currentTimeMillis();
    return RunProcess.train(runFile, options, resume, start, spec.commandLine().getOut());
  }
}
