package org.tsumugi.actors;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.tsumugi.actors.RunEvent.SaveKind;
import org.tsumugi.actors.run.RunDirectory;
import org.tsumugi.actors.training.LoraSnapshot;
import org.tsumugi.actors.training.SaveNames;
import org.tsumugi.engine.io.DType;
import org.tsumugi.engine.io.SafetensorsHashes;
import org.tsumugi.engine.io.SafetensorsWriter;
import org.tsumugi.engine.io.TensorSource;
import org.tsumugi.engine.train.TrainingState;
import org.tsumugi.persistence.checkpoint.CheckpointWriteException;
import org.tsumugi.persistence.checkpoint.ContentWriter;
import org.tsumugi.persistence.checkpoint.StoredFile;

/**
 * Writes checkpoints and states from immutable snapshots on its own dispatcher, one at a time in the order asked, so
 * the trainer never waits on the disk. Files are streamed a tensor at a time, and while training runs each save is
 * held to {@code runtime.save-cpu-share} of a core (SavePace) on an idle-priority thread; the final save goes at full
 * speed. Each outcome goes to the RunSupervisor, which records it. After a failed write
 * (disk full, unwritable directory) every later write is refused: the run is ending, and nothing written out of order
 * may follow.
 */
public final class CheckpointWriter extends AbstractBehavior<CheckpointWriter.Command> {

  public sealed interface Command {}

  /** Where and why a save goes: {@code name} relative to output_dir; {@code epoch} 1-based. */
  public record SaveTarget(String name, SaveKind kind, long step, int epoch) {}

  /** A LoRA file: the snapshot cast to {@code dtype}, the metadata plus its sshs hashes. */
  public record WriteLora(SaveTarget target, LoraSnapshot snapshot, Map<String, String> metadata, DType dtype)
      implements Command {}

  /** A training state file. */
  public record WriteState(SaveTarget target, TrainingState state) implements Command {}

  /** Removes an older checkpoint or state directory. */
  public record Remove(String name) implements Command {}

  /** Answered once everything asked before it is done. */
  public record Flush(ActorRef<RunSupervisor.Command> replyTo) implements Command {}

  private final CheckpointFiles files;
  private final ActorRef<RunSupervisor.Command> supervisor;
  private final double cpuShare;
  private boolean failed;

  private CheckpointWriter(ActorContext<Command> ctx, RunDirectory directory,
      ActorRef<RunSupervisor.Command> supervisor, double cpuShare) {
    super(ctx);
    this.files = new CheckpointFiles(directory);
    this.supervisor = supervisor;
    this.cpuShare = cpuShare;
    BackgroundPriority.idleCurrentThread(); // its dispatcher has this one thread
  }

  /** @param cpuShare share of one core a save may take while training runs (runtime.save-cpu-share) */
  public static Behavior<Command> create(RunDirectory directory, ActorRef<RunSupervisor.Command> supervisor,
      double cpuShare) {
    return Behaviors.setup(ctx -> new CheckpointWriter(ctx, directory, supervisor, cpuShare));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(WriteLora.class, this::onWriteLora)
        .onMessage(WriteState.class, this::onWriteState)
        .onMessage(Remove.class, this::onRemove)
        .onMessage(Flush.class, this::onFlush)
        .build();
  }

  private Behavior<Command> onWriteLora(WriteLora w) {
    if (!failed) {
      write(w.target(), false, pace -> {
        // Converted twice, for the hashes and for the file: the header holding the hashes comes first, and a converted
        // copy of a large LoRA is what streaming avoids holding.
        List<TensorSource> tensors = pace.paced(w.snapshot().tensors(w.dtype()));
        Map<String, String> metadata = SafetensorsHashes.of(w.metadata(), tensors).applyTo(w.metadata());
        return out -> SafetensorsWriter.writeTo(out, metadata, tensors);
      });
    }
    return this;
  }

  private Behavior<Command> onWriteState(WriteState w) {
    if (!failed) {
      SaveTarget target = w.target();
      SaveTarget file = new SaveTarget(SaveNames.stateFile(target.name()), target.kind(), target.step(),
          target.epoch());
      TrainingState state = w.state();
      write(file, true, pace -> out -> SafetensorsWriter.writeTo(out, state.metadata(), pace.paced(state.tensors())));
    }
    return this;
  }

  /** A file's content, prepared (its sshs hashes taken, for a LoRA) at the given pace. */
  @FunctionalInterface
  private interface Content {
    ContentWriter prepare(SavePace pace) throws IOException;
  }

  private void write(SaveTarget target, boolean state, Content content) {
    try {
      long start = System.nanoTime();
      SavePace pace = SavePace.start(target.kind() == SaveKind.FINAL ? 1 : cpuShare);
      StoredFile stored = files.write(target.name(), content.prepare(pace));
      getContext().getLog().info("saved {} ({} bytes, {} ms, {} ms CPU)", stored.path(), stored.size(),
          (System.nanoTime() - start) / 1_000_000, pace.cpuMillis());
      supervisor.tell(new RunSupervisor.FileWritten(state, target.kind(), target.step(), target.epoch(), stored));
    } catch (CheckpointWriteException e) {
      fail(target, e.reason());
    } catch (IOException | RuntimeException e) {
      fail(target, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  private void fail(SaveTarget target, String reason) {
    failed = true;
    supervisor.tell(new RunSupervisor.SaveFailed("cannot save " + files.path(target.name()) + ": " + reason
        + "; every earlier checkpoint and state is kept and no partial file was left"));
  }

  private Behavior<Command> onRemove(Remove r) {
    if (!failed) {
      try {
        boolean existed = files.remove(r.name());
        if (existed) {
          getContext().getLog().info("removed {}", files.path(r.name()));
        }
        supervisor.tell(new RunSupervisor.FileDeleted(files.path(r.name()).toString(), existed));
      } catch (IOException e) {
        getContext().getLog().warn("cannot remove {}: {}", files.path(r.name()), e.getMessage());
      }
    }
    return this;
  }

  private Behavior<Command> onFlush(Flush f) {
    f.replyTo().tell(RunSupervisor.WriterFlushed.INSTANCE);
    return this;
  }
}
