package org.tsumugi.ops.monitor;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tsumugi.actors.RunControl;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEventSink;
import org.tsumugi.config.LoggingConfig;
import org.tsumugi.config.RuntimeConfig;

/**
 * Every monitoring sink of one run process, as one sink for the Monitor to call in ledger order: the JSON-lines
 * event log and the heartbeat in the run directory, TensorBoard files when {@code logging_dir} is set, the live page
 * when {@code runtime.http-port} is set, and the console. A failing sink is logged and skipped; the others and the
 * training go on.
 */
public final class MonitorSinks implements RunEventSink {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorSinks.class);

  private final List<RunEventSink> sinks;
  private final Optional<LiveServer> live;
  private final Set<RunEventSink> failing = Collections.newSetFromMap(new IdentityHashMap<>());

  private MonitorSinks(List<RunEventSink> sinks, Optional<LiveServer> live) {
    this.sinks = List.copyOf(sinks);
    this.live = live;
  }

  /**
   * Opens the sinks of a run process. Feed it the events this process records (a resume sends RunStarted and
   * ProcessAttached again); the live page also replays the run's earlier events from the event log.
   */
  public static MonitorSinks open(Path runDir, LoggingConfig logging, RuntimeConfig runtime, RunControl control,
      ConsoleProgress console, Clock clock) throws IOException {
    RunFiles files = new RunFiles(runDir);
    List<RunEventSink> opened = new ArrayList<>();
    try {
      List<RunEvent> history = history(files);
      opened.add(JsonLinesSink.open(files.events()));
      opened.add(Heartbeat.start(files.heartbeat(), runtime.heartbeatInterval(), clock));
      if (logging.enabled()) {
        TensorBoardSink tensorBoard = TensorBoardSink.open(logging, clock);
        LOG.info("TensorBoard events in {}", tensorBoard.file().getParent());
        opened.add(tensorBoard);
      }
      Optional<LiveServer> live = Optional.empty();
      if (runtime.httpPort().isPresent()) {
        LiveServer server = LiveServer.startOnLoopback(runtime.httpPort().getAsInt(), control, history);
        LOG.info("live page at {}", server.uri());
        opened.add(server);
        live = Optional.of(server);
      }
      opened.add(console);
      return new MonitorSinks(opened, live);
    } catch (IOException | RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  /** The run's earlier events for the live page; a log it cannot read costs the page its history, not the run. */
  private static List<RunEvent> history(RunFiles files) throws IOException {
    try {
      return RunEventLog.readAll(files.events());
    } catch (RunLogCorruptException e) {
      LOG.warn("the live page starts without the run's history: {}", e.getMessage());
      return List.of();
    }
  }

  /** The live page's address (with the port actually bound when 0 was asked), if it serves. */
  public Optional<URI> liveUri() {
    return live.map(LiveServer::uri);
  }

  @Override
  public void accept(RunEvent event) {
    for (RunEventSink sink : sinks) {
      try {
        sink.accept(event);
      } catch (RuntimeException e) {
        if (failing.add(sink)) {
          LOG.warn("monitor sink {} failed; it is skipped for this event and reported once: {}",
              sink.getClass().getSimpleName(), e.getMessage());
        }
      }
    }
  }

  @Override
  public void close() {
    closeAll(sinks);
  }

  private static void closeAll(List<RunEventSink> sinks) {
    for (int i = sinks.size() - 1; i >= 0; i--) {
      try {
        sinks.get(i).close();
      } catch (RuntimeException e) {
        LOG.warn("monitor sink {} did not close cleanly: {}", sinks.get(i).getClass().getSimpleName(),
            e.getMessage());
      }
    }
  }
}
