package org.tsumugi.actors;

import java.util.List;
import java.util.Optional;
import org.tsumugi.actors.run.RunSpec;
import org.tsumugi.actors.training.SavePolicy;
import org.tsumugi.config.SavePrecision;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.lora.LoraMetadata;
import org.tsumugi.engine.train.StepPlan;

/**
 * What a run is before it runs: its step plan, save rules, file metadata and the RunStarted event that records them;
 * and whether the recovered ledger lets this process start or continue it.
 */
final class RunStart {
  private final RunSpec spec;
  private final StepPlan plan;

  RunStart(RunSpec spec) {
    this.spec = spec;
    TsumugiConfig c = spec.config();
    this.plan = StepPlan.of(spec.source().batchesPerEpoch(), c.training().gradientAccumulationSteps(),
        c.training().maxTrainSteps(), c.training().maxTrainEpochs());
  }

  StepPlan plan() {
    return plan;
  }

  SavePolicy savePolicy() {
    return new SavePolicy(spec.config().save(), plan.numTrainEpochs());
  }

  LoraMetadata metadata() {
    return LoraMetadata.of(spec.config(), spec.dataset(), new LoraMetadata.RunFacts(spec.startedAtMillis(),
        spec.seed(), spec.source().numTrainItems(), plan.batchesPerEpoch(), plan.numTrainEpochs(),
        plan.maxTrainSteps()));
  }

  /** save_precision: fp32 (and the reference's float) → F32 (reference/lora-and-ema.md §1.8). */
  DType saveDtype() {
    SavePrecision p = spec.config().save().savePrecision();
    return switch (p) {
      case FP16 -> DType.F16;
      case BF16 -> DType.BF16;
      case FLOAT, FP32 -> DType.F32;
    };
  }

  RunEvent.RunStarted runStarted(long atMillis) {
    return new RunEvent.RunStarted(atMillis, spec.runName(), spec.resolved().json(), spec.resolved().sha256(),
        plan.maxTrainSteps(), Math.toIntExact(plan.numTrainEpochs()), plan.batchesPerEpoch(), lrGroups());
  }

  /** The optimizer groups' descriptions (reference/lora-and-ema.md §1.6). */
  List<String> lrGroups() {
    return spec.config().network().loraplusLrRatio().isPresent() ? List.of("unet", "unet plus") : List.of("unet");
  }

  /** Why the ledger does not let this process run, if it does not. */
  Optional<String> refusal(RunLedger ledger) {
    String dir = spec.directory().outputDir().toString();
    if (ledger.finished()) {
      return Optional.of("run " + spec.runName() + " in " + dir + " has finished (" + ledger.lastStep()
          + " steps); choose another output_dir to train again");
    }
    boolean holdsRun = ledger.started().isPresent() || ledger.lastStep() > 0;
    if (spec.mode() == RunSpec.Mode.START && holdsRun) {
      return Optional.of(dir + " holds run " + spec.runName() + ", unfinished at step " + ledger.lastStep()
          + ": continue it with `tsumugi resume " + dir + "` (or --resume " + dir + "), or choose another output_dir");
    }
    if (ledger.started().isPresent() && !ledger.started().get().configSha256().equals(spec.resolved().sha256())) {
      return Optional.of("the options differ from those run " + spec.runName() + " started with (ledger "
          + ledger.started().get().configSha256() + ", now " + spec.resolved().sha256() + "); a run resumes only"
          + " under its own options, read from its own working directory. Its resolved options are in the ledger's"
          + " RunStarted event");
    }
    return Optional.empty();
  }
}
