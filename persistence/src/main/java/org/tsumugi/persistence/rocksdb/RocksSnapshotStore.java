package org.tsumugi.persistence.rocksdb;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.serialization.Snapshot;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.tsumugi.persistence.rocksdb.SnapshotRecord.SerializedObject;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;

/**
 * Pekko Persistence snapshot store on RocksDB, registered as {@code tsumugi.persistence.snapshot-store}
 * (reference.conf). One column family {@code snapshots}: {@link SnapshotKey} → {@link SnapshotRecord} (the
 * timestamp Pekko assigned, the state serialized through the application's serializers, optional metadata).
 *
 * <p>Saves and deletes run on this actor's dedicated {@code plugin-dispatcher}, synced to disk; loads run on
 * {@code io-dispatcher}. A load returns the youngest matching snapshot; one that cannot be deserialized is
 * skipped for the next older match, up to {@code max-load-attempts} tries, after which the load fails (as
 * Pekko's local snapshot store does) so that recovery never silently starts from nothing.
 */
public final class RocksSnapshotStore extends SnapshotStore {
  static final String SNAPSHOTS = "snapshots";

  private final PluginSettings settings;
  private final Serialization serialization;
  private final LoggingAdapter log;
  private RocksStore store;
  private ColumnFamilyHandle snapshots;

  public RocksSnapshotStore(Config cfg, String configPath) {
    this.settings = PluginSettings.snapshotStore(cfg, configPath);
    this.serialization = SerializationExtension.get(context().system());
    this.log = Logging.getLogger(context().system(), this);
  }

  @Override
  public void preStart() throws Exception {
    super.preStart();
    store = RocksStore.open(settings.directory(), List.of(SNAPSHOTS));
    snapshots = store.family(SNAPSHOTS);
    log.info("snapshot store opened at {}", store.directory());
  }

  @Override
  public void postStop() throws Exception {
    if (store != null) {
      store.close();
      store = null;
    }
    super.postStop();
  }

  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    RocksStore opened = store;
    ColumnFamilyHandle family = snapshots;
    ExecutionContext io = context().system().dispatchers().lookup(settings.ioDispatcher());
    return Futures.future(() -> load(opened, family, persistenceId, criteria), io);
  }

  private Optional<SelectedSnapshot> load(RocksStore opened, ColumnFamilyHandle family, String persistenceId,
      SnapshotSelectionCriteria criteria) throws RocksDBException {
    List<SnapshotRange.Entry> candidates = opened.read(() -> SnapshotRange.youngestFirst(opened, family,
        persistenceId, criteria, settings.maxLoadAttempts()));
    List<String> failures = new ArrayList<>();
    Exception lastFailure = null;
    for (SnapshotRange.Entry candidate : candidates) {
      try {
        return Optional.of(decode(persistenceId, candidate));
      } catch (Exception e) { // Try.get rethrows checked exceptions too
        log.warning("snapshot {} of {} in {} cannot be read, skipped: {}",
            candidate.sequenceNr(), persistenceId, opened.directory(), e.toString());
        failures.add(candidate.sequenceNr() + ": " + e);
        lastFailure = e;
      }
    }
    if (lastFailure == null) {
      return Optional.empty();
    }
    throw new SnapshotLoadException("no readable snapshot of " + persistenceId + " in " + opened.directory()
        + " among the " + failures.size() + " youngest matching " + criteria + " (max-load-attempts = "
        + settings.maxLoadAttempts() + "): " + failures, lastFailure);
  }

  private SelectedSnapshot decode(String persistenceId, SnapshotRange.Entry entry) throws Exception {
    SnapshotRecord record = SnapshotRecord.decode(entry.value());
    Object state = serialization.deserialize(record.snapshot(), Snapshot.class).get().data();
    SnapshotMetadata metadata = SnapshotMetadata.apply(persistenceId, entry.sequenceNr(), record.timestamp());
    if (record.metadata().isPresent()) {
      SerializedObject meta = record.metadata().get();
      metadata = metadata.withMetadata(
          serialization.deserialize(meta.bytes(), meta.serializerId(), meta.manifest()).get());
    }
    return SelectedSnapshot.create(metadata, state);
  }

  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    try {
      byte[] state = serialization.serialize(new Snapshot(snapshot)).get();
      Optional<SerializedObject> meta = metadata.metadata().isDefined()
          ? Optional.of(serialize(metadata.metadata().get()))
          : Optional.empty();
      byte[] value = new SnapshotRecord(metadata.timestamp(), state, meta).encode();
      store.db().put(snapshots, store.syncWrites(), SnapshotKey.of(metadata.persistenceId(),
          metadata.sequenceNr()), value);
      return Futures.successful(null);
    } catch (Exception e) {
      return Futures.failed(new StoreIoException(settings.directory(), "save of snapshot " + metadata, e));
    }
  }

  private SerializedObject serialize(Object object) {
    Serializer serializer = serialization.findSerializerFor(object);
    return new SerializedObject(serializer.identifier(), Serializers.manifestFor(serializer, object),
        serializer.toBinary(object));
  }

  /** Deletes the snapshot at the metadata's (persistenceId, sequenceNr); its timestamp is ignored. */
  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    try {
      store.db().delete(snapshots, store.syncWrites(), SnapshotKey.of(metadata.persistenceId(),
          metadata.sequenceNr()));
      return Futures.successful(null);
    } catch (RocksDBException | RuntimeException e) {
      return Futures.failed(new StoreIoException(settings.directory(), "delete of snapshot " + metadata, e));
    }
  }

  @Override
  public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    try (WriteBatch batch = new WriteBatch()) {
      for (SnapshotRange.Entry entry : SnapshotRange.youngestFirst(store, snapshots, persistenceId, criteria,
          Integer.MAX_VALUE)) {
        batch.delete(snapshots, entry.key());
      }
      store.write(batch);
      return Futures.successful(null);
    } catch (RocksDBException | RuntimeException e) {
      return Futures.failed(new StoreIoException(settings.directory(), "delete of snapshots of " + persistenceId
          + " matching " + criteria, e));
    }
  }
}
