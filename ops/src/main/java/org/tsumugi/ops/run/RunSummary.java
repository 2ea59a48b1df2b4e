package org.tsumugi.ops.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.tsumugi.actors.RunOutcome;
import org.tsumugi.actors.run.RunDirectory;

/** The lines a run's process ends with: what happened, the files, and how to watch or continue the run. */
final class RunSummary {

  private RunSummary() {}

  static void print(RunOutcome outcome, RunDirectory dir, PrintWriter out) {
    String where = dir.outputDir().toString();
    if (outcome instanceof RunOutcome.Finished f) {
      out.printf(Locale.ROOT, "finished: %d steps%s%n", f.steps(),
          f.fromStep() > 0 ? " (this process from step " + f.fromStep() + ")" : "");
      if (f.firstLoss().isPresent() && f.lastLoss().isPresent()) {
        out.printf(Locale.ROOT, "loss: first %.4f, last %.4f%n", f.firstLoss().get(), f.lastLoss().get());
      }
      out.println("files in " + where + ":");
      for (String file : f.files()) {
        out.println("  " + dir.outputDir().relativize(Path.of(file)));
      }
      out.println("LoRA: " + f.finalPath());
      out.println("history: tsumugi watch " + where);
      out.println("(a run stopped or killed before its end continues with: tsumugi resume " + where + ")");
    } else if (outcome instanceof RunOutcome.Stopped s) {
      out.println("stopped after the save at step " + s.step() + "; continue with: tsumugi resume " + where);
    } else if (outcome instanceof RunOutcome.Failed f) {
      out.println("failed at step " + f.step() + ": " + f.reason());
      out.println("the last saved state is kept; after fixing the cause continue with: tsumugi resume " + where);
    } else if (outcome instanceof RunOutcome.Refused r) {
      out.println("not started: " + r.reason());
    }
    out.flush();
  }
}
