package org.tsumugi.ops;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import org.tsumugi.engine.ema.PostHocEmaMerge;
import org.tsumugi.engine.ema.PostHocEmaSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tsumugi ema}: the reference's lora_post_hoc_ema.py (reference/lora-and-ema.md §2). */
@Command(name = "ema", mixinStandardHelpOptions = true,
    description = "Merge LoRA checkpoints into one with post-hoc EMA (beta, beta->beta2, or sigma_rel).")
final class EmaCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "LoRA checkpoints, oldest first after sorting.")
  List<Path> paths;

  @Option(names = "--output_file", required = true, description = "Where the merged LoRA is written.")
  Path outputFile;

  @Option(names = "--beta", defaultValue = "0.95", description = "EMA decay (default ${DEFAULT-VALUE}).")
  double beta;

  @Option(names = "--beta2", description = "Final decay: beta is interpolated linearly to beta2 over the merges.")
  Optional<Double> beta2;

  @Option(names = "--sigma_rel", description = "Power-function EMA width; overrides beta and beta2.")
  Optional<Double> sigmaRel;

  @Option(names = "--no_sort", description = "Keep the given order instead of sorting by modification time.")
  boolean noSort;

  @Override
  public Integer call() throws Exception {
    PostHocEmaSettings settings = new PostHocEmaSettings(beta,
        beta2.map(OptionalDouble::of).orElse(OptionalDouble.empty()),
        sigmaRel.map(OptionalDouble::of).orElse(OptionalDouble.empty()), noSort);
    PostHocEmaMerge.Result result = PostHocEmaMerge.merge(paths, settings, outputFile);
    System.out.println("merged " + result.order().size() + " checkpoints (" + result.schedule() + ") into "
        + outputFile);
    for (Path p : result.order()) {
      System.out.println("  " + p);
    }
    System.out.println("sshs_model_hash " + result.hashes().modelHash());
    return 0;
  }
}
