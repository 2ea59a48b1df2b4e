package org.tsumugi.actors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.tsumugi.config.PostHocEmaConfig;
import org.tsumugi.engine.ema.EmaMergeException;
import org.tsumugi.persistence.checkpoint.CheckpointVerificationException;
import org.tsumugi.persistence.checkpoint.StoredFile;

/**
 * The live post-hoc EMA of one run (ARCHITECTURE.md, "One run as message flows"; reference/lora-and-ema.md §2): folds
 * each saved LoRA checkpoint into a running average and rewrites {@code {output_dir}/{output_name}-ema.safetensors}
 * after every fold. The math is the engine's {@link org.tsumugi.engine.ema.EmaAccumulator}; once the run's
 * checkpoints are all folded, the EMA LoRA is byte-identical to the offline merge
 * ({@code PostHocEmaMerge.merge}, i.e. {@code tsumugi ema --no_sort}) of the same files in the same order with the
 * same beta / beta2 / sigma_rel, where beta→beta2 moves over {@link Settings#plannedCheckpoints}.
 *
 * <p><b>Wiring</b> (in the RunSupervisor, when {@code post_hoc_ema.enabled}):
 * <pre>{@code
 * ActorRef<EmaMerger.Report> reports = ctx.messageAdapter(EmaMerger.Report.class, EmaReported::new);
 * ActorRef<EmaMerger.Command> ema = ctx.spawn(EmaMerger.create(new EmaMerger.Settings(runName, outputDir,
 *     outputName, config.postHocEma(), plannedCheckpoints), reports), "ema");
 * ctx.watch(ema);                                   // it stops if its journal fails
 * // for every CheckpointSaved, in ledger order, and again for all of them after a restart or resume:
 * EmaMerger.Fold.of(checkpointSaved).ifPresent(ema::tell);
 * }</pre>
 * {@code plannedCheckpoints} is the number of step and epoch checkpoints the run will save (not the final file).
 * Messages: {@link Fold} (one checkpoint), {@link GetStatus} (answered with {@link Status} after every earlier
 * message is done). Reports, one per fold actually done: {@link Updated} carrying the persisted
 * {@link RunEvent.EmaUpdated}, or {@link Failed} naming the checkpoint and what is wrong (sha256 or size mismatch,
 * missing file, tensor names/shapes/alphas that do not match, a fold beyond the planned beta→beta2 schedule, IO
 * errors). A failed fold changes nothing; the supervisor decides whether the run goes on. Folds are idempotent: a
 * {@code Fold} whose step is at or before the last folded step is ignored without a report.
 *
 * <p><b>Durability.</b> Its journal is the run's (the default journal plugin), persistence id
 * {@code {run name}-ema} ({@link #persistenceId}); events are {@link RunEvent.EmaUpdated}. The running float32
 * average lives in accumulator files {@value #ACCUMULATOR_DIR}{@code /{output_name}-ema-accumulator-NNNNNN.safetensors}
 * under the output dir. A fold reads the accumulator the journal records (after verifying its sha256) and the
 * checkpoint (after verifying the sha256 the ledger recorded), writes the next accumulator under a new name and the
 * EMA LoRA, each atomically, then persists the event; the superseded accumulator is deleted only after that. After a
 * kill -9 at any moment the recovered actor starts again from the recorded accumulator and removes any other
 * accumulator and interrupted temporary file; the EMA LoRA may then be one fold ahead of the journal until the
 * re-sent {@code Fold} rewrites it with the same bytes. All file work runs on the dispatcher {@value #DISPATCHER_PATH}
 * (Pekko's blocking one if that is not configured), one piece at a time.
 */
public final class EmaMerger extends EventSourcedBehavior<EmaMerger.Command, RunEvent.EmaUpdated, EmaProgress> {

  /** The accumulators' folder, relative to the run's output dir. */
  public static final String ACCUMULATOR_DIR = ".tsumugi/ema";
  /** Config path of the dispatcher for the file work; when absent, Pekko's blocking-IO dispatcher is used. */
  public static final String DISPATCHER_PATH = "tsumugi.runtime.dispatchers.ema";

  /**
   * What the merger needs from the run.
   *
   * @param plannedCheckpoints step and epoch checkpoints the run will save; beta→beta2 is spread over them
   */
  public record Settings(String runName, Path outputDir, String outputName, PostHocEmaConfig config,
      int plannedCheckpoints) {
    public Settings {
      if (plannedCheckpoints < 1) {
        throw new IllegalArgumentException("the live EMA of run " + runName + " needs at least 1 planned checkpoint,"
            + " got " + plannedCheckpoints);
      }
    }
  }

  public interface Command extends CborSerializable {}

  /** Fold in the LoRA checkpoint of {@code step}, whose size and sha256 the ledger recorded when it was saved. */
  public record Fold(long step, int epoch, String path, long size, String sha256) implements Command {

    /** The fold for a step or epoch checkpoint; empty for the final file and saves on request. */
    public static Optional<Fold> of(RunEvent.CheckpointSaved saved) {
      return switch (saved.kind()) {
        case STEP, EPOCH -> Optional.of(new Fold(saved.step(), saved.epoch(), saved.path(), saved.size(),
            saved.sha256()));
        case FINAL, ON_REQUEST -> Optional.empty();
      };
    }

    StoredFile storedFile() {
      return new StoredFile(Path.of(path), size, sha256);
    }
  }

  /** Answered with {@link Status} once every message sent before it is done. */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** The checkpoints folded so far, in order; {@code path} is the EMA LoRA, empty before the first fold. */
  public record Status(int checkpointsMerged, long lastStep, List<String> checkpoints, String path)
      implements CborSerializable {}

  /** Told to the notifier once per fold that was attempted. */
  public sealed interface Report extends CborSerializable permits Updated, Failed {}

  /** The EMA LoRA now holds one more checkpoint; {@code event} is persisted. */
  public record Updated(RunEvent.EmaUpdated event) implements Report {}

  /** The checkpoint of {@code step} was not folded; the EMA LoRA and the recorded state are as before. */
  public record Failed(long step, String checkpoint, String reason) implements Report {}

  private record Folded(RunEvent.EmaUpdated event) implements Command {}

  private record FoldFailed(Fold fold, String reason) implements Command {}

  /** Leftovers were swept or a superseded accumulator removed; {@code problem} is empty if that went well. */
  private record Tidied(String problem) implements Command {}

  private interface FileWork<T> {
    T run() throws IOException;
  }

  private interface FileChange {
    void run() throws IOException;
  }

  private final ActorContext<Command> context;
  private final EmaFiles files;
  private final EmaFolding folding;
  private final ActorRef<Report> reports;
  private final Executor io;
  /** File work is under way; commands wait in the stash until it is done. */
  private boolean working;

  private EmaMerger(ActorContext<Command> context, String runName, EmaFiles files, EmaFolding folding,
      ActorRef<Report> reports) {
    super(persistenceId(runName));
    this.context = context;
    this.files = files;
    this.folding = folding;
    this.reports = reports;
    this.io = context.getSystem().dispatchers().lookup(dispatcher(context.getSystem()));
  }

  /**
   * The merger of one run.
   *
   * @throws IllegalArgumentException for an output name that is not a plain file name or a sigma_rel without a
   *     positive γ (refused here, before anything runs)
   */
  public static Behavior<Command> create(Settings settings, ActorRef<Report> reports) {
    EmaFiles files = new EmaFiles(settings.outputDir(), settings.outputName());
    EmaFolding folding = new EmaFolding(files, EmaFolding.schedule(settings.config(), settings.plannedCheckpoints()));
    return Behaviors.setup(context -> new EmaMerger(context, settings.runName(), files, folding, reports));
  }

  public static PersistenceId persistenceId(String runName) {
    return PersistenceId.ofUniqueId(runName + "-ema");
  }

  /** The configured dispatcher for the file work if {@value #DISPATCHER_PATH} exists, else the blocking one. */
  public static DispatcherSelector dispatcher(ActorSystem<?> system) {
    return system.settings().config().hasPath(DISPATCHER_PATH)
        ? DispatcherSelector.fromConfig(DISPATCHER_PATH)
        : DispatcherSelector.blocking();
  }

  @Override
  public EmaProgress emptyState() {
    return EmaProgress.empty();
  }

  @Override
  public CommandHandler<Command, RunEvent.EmaUpdated, EmaProgress> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Fold.class, this::onFold)
        .onCommand(Folded.class, this::onFolded)
        .onCommand(FoldFailed.class, this::onFoldFailed)
        .onCommand(Tidied.class, this::onTidied)
        .onCommand(GetStatus.class, this::onGetStatus)
        .build();
  }

  @Override
  public EventHandler<EmaProgress, RunEvent.EmaUpdated> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(RunEvent.EmaUpdated.class, (progress, event) -> progress.apply(event, files))
        .build();
  }

  @Override
  public SignalHandler<EmaProgress> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), progress -> {
          context.getLog().info("EMA {}: recovered with {} checkpoints merged (last step {})", persistenceId().id(),
              progress.merged(), progress.lastStep());
          tidy(() -> folding.sweep(progress));
        })
        .build();
  }

  private Effect<RunEvent.EmaUpdated, EmaProgress> onFold(EmaProgress progress, Fold fold) {
    if (working) {
      return Effect().stash();
    }
    if (fold.step() <= progress.lastStep()) {
      context.getLog().debug("EMA {}: step {} is at or before the last folded step {}; ignored",
          persistenceId().id(), fold.step(), progress.lastStep());
      return Effect().none();
    }
    working = true;
    context.pipeToSelf(blocking(() -> folding.fold(progress, fold)),
        (event, error) -> error == null ? new Folded(event) : new FoldFailed(fold, reason(error)));
    return Effect().none();
  }

  private Effect<RunEvent.EmaUpdated, EmaProgress> onFolded(EmaProgress before, Folded done) {
    working = false;
    Optional<StoredFile> superseded = before.accumulator();
    RunEvent.EmaUpdated event = done.event();
    return Effect().persist(event).thenRun((EmaProgress after) -> {
      context.getLog().info("EMA {}: folded step {} ({}), {} checkpoints merged into {}", persistenceId().id(),
          event.step(), event.checkpoint(), event.checkpointsMerged(), event.path());
      superseded.ifPresent(file -> tidy(() -> folding.remove(file)));
      reports.tell(new Updated(event));
    }).thenUnstashAll();
  }

  private Effect<RunEvent.EmaUpdated, EmaProgress> onFoldFailed(EmaProgress progress, FoldFailed failed) {
    working = false;
    Fold fold = failed.fold();
    context.getLog().warn("EMA {}: step {} ({}) not folded: {}", persistenceId().id(), fold.step(), fold.path(),
        failed.reason());
    reports.tell(new Failed(fold.step(), fold.path(), failed.reason()));
    return Effect().unstashAll();
  }

  private Effect<RunEvent.EmaUpdated, EmaProgress> onTidied(EmaProgress progress, Tidied tidied) {
    working = false;
    if (!tidied.problem().isEmpty()) {
      context.getLog().warn("EMA {}: could not remove old EMA files (the next fold tries again): {}",
          persistenceId().id(), tidied.problem());
    }
    return Effect().unstashAll();
  }

  private Effect<RunEvent.EmaUpdated, EmaProgress> onGetStatus(EmaProgress progress, GetStatus get) {
    if (working) {
      return Effect().stash();
    }
    return Effect().reply(get.replyTo(), new Status(progress.merged(), progress.lastStep(), progress.checkpoints(),
        progress.output()));
  }

  private void tidy(FileChange change) {
    working = true;
    context.pipeToSelf(blocking(() -> {
      change.run();
      return true;
    }), (ok, error) -> new Tidied(error == null ? "" : reason(error)));
  }

  private <T> CompletableFuture<T> blocking(FileWork<T> work) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return work.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, io);
  }

  /** The domain exceptions' messages name the file and what is wrong; anything else is shown with its type. */
  private static String reason(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof UncheckedIOException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof EmaMergeException || cause instanceof CheckpointVerificationException
        ? cause.getMessage()
        : cause.toString();
  }
}
