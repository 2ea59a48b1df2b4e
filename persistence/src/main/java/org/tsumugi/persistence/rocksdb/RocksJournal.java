package org.tsumugi.persistence.rocksdb;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import scala.collection.Iterator;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;

/**
 * Pekko Persistence journal on RocksDB, registered as {@code tsumugi.persistence.journal} (reference.conf).
 *
 * <p>Layout of its directory (column families):
 * <ul>
 *   <li>{@code ids}: persistenceId as UTF-8 → numeric id, a 4-byte big-endian int allocated 1, 2, ...;</li>
 *   <li>{@code events}: {@code [int id][long seqNr]} big-endian → the {@link PersistentRepr} as serialized by
 *       Pekko's own message serializer, which stores the event as serializer id + manifest + bytes (so the
 *       application's bindings, e.g. jackson-cbor, are used) with pid, seqNr, writerUuid, timestamp and metadata;
 *       {@code [id][0]} → the highest seqNr ever written for that id, which deletes never lower.</li>
 * </ul>
 * Big-endian keys sort in sequence order, so a replay is one forward scan and a delete is one range tombstone.
 *
 * <p>Writes, deletes and highest-seqNr reads run on this actor, whose {@code plugin-dispatcher} is a dedicated
 * pinned thread; replays run on {@code replay-dispatcher}. One {@code writeMessages} call is one synced
 * {@link WriteBatch}, so every AtomicWrite is all-or-nothing and acknowledged events survive a kill -9.
 */
public class RocksJournal extends AsyncWriteJournal {
  static final String IDS = "ids";
  static final String EVENTS = "events";

  private final PluginSettings settings;
  private final Serialization serialization;
  private final LoggingAdapter log;
  private RocksStore store;
  private ColumnFamilyHandle events;
  private PersistenceIds ids;

  public RocksJournal(Config cfg, String configPath) {
    this.settings = PluginSettings.journal(cfg, configPath);
    this.serialization = SerializationExtension.get(context().system());
    this.log = Logging.getLogger(context().system(), this);
  }

  @Override
  public void preStart() throws Exception {
    super.preStart();
    store = RocksStore.open(settings.directory(), List.of(IDS, EVENTS));
    events = store.family(EVENTS);
    ids = PersistenceIds.load(store, store.family(IDS));
    log.info("journal opened at {}", store.directory());
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
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> messages) {
    List<Optional<Exception>> results = new ArrayList<>();
    Map<Integer, Long> highest = new HashMap<>();
    try (WriteBatch batch = new WriteBatch()) {
      for (AtomicWrite write : messages) {
        List<byte[]> encoded;
        try {
          encoded = encode(write);
        } catch (Exception e) {
          results.add(Optional.of(e));
          continue;
        }
        int id = ids.idForWrite(write.persistenceId(), batch);
        long seqNr = write.lowestSequenceNr();
        for (byte[] bytes : encoded) {
          batch.put(events, JournalKey.of(id, seqNr++), bytes);
        }
        highest.merge(id, write.highestSequenceNr(), Math::max);
        results.add(Optional.empty());
      }
      for (Map.Entry<Integer, Long> entry : highest.entrySet()) {
        long stored = readHighest(entry.getKey());
        batch.put(events, JournalKey.highest(entry.getKey()),
            JournalKey.encodeLong(Math.max(stored, entry.getValue())));
      }
      write(batch);
      ids.commit();
      return Futures.successful(results);
    } catch (RocksDBException | RuntimeException e) {
      ids.rollback();
      return Futures.failed(new StoreIoException(settings.directory(), "journal write", e));
    }
  }

  /** Serializes every event of one AtomicWrite, or throws: then none of them is stored (a rejection). */
  private List<byte[]> encode(AtomicWrite write) {
    long now = System.currentTimeMillis();
    List<byte[]> encoded = new ArrayList<>(write.size());
    Iterator<PersistentRepr> reprs = write.payload().iterator();
    while (reprs.hasNext()) {
      PersistentRepr repr = reprs.next();
      if (repr.payload() instanceof Tagged tagged) {
        repr = repr.withPayload(tagged.payload());
      }
      if (repr.timestamp() == 0L) {
        repr = repr.withTimestamp(now);
      }
      encoded.add(serialization.serialize(repr).get());
    }
    return encoded;
  }

  /** The single write of a batch; overridable only so that tests can inject a storage failure. */
  protected void write(WriteBatch batch) throws RocksDBException {
    store.write(batch);
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    OptionalInt id = ids.find(persistenceId);
    if (id.isEmpty()) {
      return Futures.successful(null);
    }
    try {
      long to = Math.min(toSequenceNr, readHighest(id.getAsInt()));
      if (to >= 1) {
        store.db().deleteRange(events, store.syncWrites(), JournalKey.of(id.getAsInt(), 1L),
            JournalKey.justAfter(id.getAsInt(), to));
      }
      return Futures.successful(null);
    } catch (RocksDBException | RuntimeException e) {
      return Futures.failed(new StoreIoException(settings.directory(), "delete of " + persistenceId
          + " up to seqNr " + toSequenceNr, e));
    }
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    OptionalInt id = ids.find(persistenceId);
    try {
      return Futures.successful(id.isEmpty() ? 0L : readHighest(id.getAsInt()));
    } catch (RocksDBException | RuntimeException e) {
      return Futures.failed(new StoreIoException(settings.directory(), "highest seqNr of " + persistenceId, e));
    }
  }

  private long readHighest(int id) throws RocksDBException {
    byte[] value = store.db().get(events, JournalKey.highest(id));
    return value == null ? 0L : JournalKey.decodeLong(value);
  }

  @Override
  public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr,
      long max, Consumer<PersistentRepr> replayCallback) {
    OptionalInt id = ids.find(persistenceId);
    if (id.isEmpty() || max <= 0 || toSequenceNr < Math.max(1L, fromSequenceNr)) {
      return Futures.successful(null);
    }
    Replay replay = new Replay(store, events, serialization, id.getAsInt(), persistenceId);
    ExecutionContext io = context().system().dispatchers().lookup(settings.ioDispatcher());
    return Futures.future(() -> {
      replay.run(fromSequenceNr, toSequenceNr, max, replayCallback);
      return null;
    }, io);
  }
}
