package org.tsumugi.ops.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tsumugi.actors.RunControl;
import org.tsumugi.actors.RunEvent;
import org.tsumugi.actors.RunEventSink;

/**
 * The live page of a running run: {@code GET /} a self-contained page with a loss chart, {@code GET /events} the
 * events as server-sent events, {@code GET /status} where the run stands (JSON), {@code POST /control/{pause|resume|
 * save|stop}} requests to the supervisor.
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver} rather than pekko-http: a sink is a plain object the Monitor
 * calls, so this needs no ActorSystem or stream materializer threaded through; the load is a few local browsers; and
 * an event stream is a loop writing to one response. That keeps the Scala HTTP stack and its Jackson version pairing
 * (reference/pekko-persistence.md §6) out of the ops module.
 *
 * <p>Bound to loopback by default. There, requests must name a loopback host (a DNS-rebinding page cannot reach it),
 * and a request from a browser page must come from this server's own origin (another site cannot POST a control).
 */
public final class LiveServer implements RunEventSink {

  private static final Logger LOG = LoggerFactory.getLogger(LiveServer.class);
  private static final int THREADS = ServerSentEvents.MAX_STREAMS + 4;

  private final HttpServer server;
  private final ExecutorService executor;
  private final EventFeed feed = new EventFeed();
  private final RunProgress progress = new RunProgress();
  private final boolean loopbackOnly;

  private LiveServer(HttpServer server, ExecutorService executor, boolean loopbackOnly) {
    this.server = server;
    this.executor = executor;
    this.loopbackOnly = loopbackOnly;
  }

  /** Serves on the loopback interface; port 0 takes any free port (see {@link #port()}). */
  public static LiveServer startOnLoopback(int port, RunControl control, List<RunEvent> history) throws IOException {
    return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), control, history);
  }

  /** Serves on {@code address}, with {@code history} (the run's earlier events) as the first events of the feed. */
  public static LiveServer start(InetSocketAddress address, RunControl control, List<RunEvent> history)
      throws IOException {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
      Thread thread = new Thread(task, "tsumugi-live-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    HttpServer server = HttpServer.create(address, 0);
    server.setExecutor(executor);
    LiveServer live = new LiveServer(server, executor, address.getAddress().isLoopbackAddress());
    history.forEach(live::accept);
    server.createContext("/", live.guarded(live::page));
    server.createContext("/status", live.guarded(live::status));
    server.createContext("/events", live.guarded(new ServerSentEvents(live.feed)));
    server.createContext(LiveControl.PREFIX, live.guarded(new LiveControl(control)));
    server.start();
    return live;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public URI uri() {
    InetSocketAddress address = server.getAddress();
    String host = address.getAddress().isLoopbackAddress() ? "127.0.0.1" : address.getHostString();
    return URI.create("http://" + host + ":" + address.getPort() + "/");
  }

  @Override
  public void accept(RunEvent event) {
    synchronized (progress) {
      progress.apply(event);
    }
    feed.append(RunEventJson.write(event));
  }

  /** Ends every event stream, then stops serving. */
  @Override
  public void close() {
    feed.close();
    server.stop(0);
    executor.shutdownNow();
  }

  private HttpHandler guarded(HttpHandler handler) {
    return exchange -> {
      try {
        Optional<String> refusal = refusal(exchange);
        if (refusal.isPresent()) {
          reply(exchange, 403, "text/plain", refusal.get());
        } else {
          handler.handle(exchange);
        }
      } catch (RuntimeException e) {
        LOG.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        reply(exchange, 500, "text/plain", "failed: " + e.getMessage());
      } finally {
        exchange.close();
      }
    };
  }

  private Optional<String> refusal(HttpExchange exchange) {
    String host = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Host")).orElse("");
    if (loopbackOnly && !isLoopbackHost(host)) {
      return Optional.of("host [" + host + "] is not a loopback name; use http://127.0.0.1:" + port() + "/");
    }
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin != null && !origin.equals("http://" + host)) {
      return Optional.of("requests from origin [" + origin + "] are refused; open the page from http://" + host);
    }
    return Optional.empty();
  }

  private static boolean isLoopbackHost(String hostHeader) {
    String host = hostHeader.startsWith("[") ? hostHeader.substring(0, hostHeader.indexOf(']') + 1)
        : hostHeader.replaceFirst(":\\d+$", "");
    host = host.toLowerCase(Locale.ROOT);
    return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
  }

  private void page(HttpExchange exchange) throws IOException {
    if (!exchange.getRequestURI().getPath().equals("/")) {
      reply(exchange, 404, "text/plain", "no page at " + exchange.getRequestURI().getPath()
          + "; the live page is at /, events at /events, status at /status");
      return;
    }
    reply(exchange, 200, "text/html; charset=utf-8", Page.HTML);
  }

  private void status(HttpExchange exchange) throws IOException {
    Map<String, Object> status = new LinkedHashMap<>();
    synchronized (progress) {
      status.put("runName", progress.runName());
      status.put("state", progress.phase().name().toLowerCase(Locale.ROOT));
      status.put("step", progress.step());
      status.put("maxSteps", progress.maxSteps());
      status.put("epoch", progress.epoch());
      status.put("numEpochs", progress.numEpochs());
      status.put("lastStep", progress.lastStep().orElse(null));
      status.put("lrGroups", progress.lrGroups());
      status.put("stepsPerSecond", progress.stepsPerSecond().orElse(null));
      status.put("secondsLeft", progress.secondsLeft().orElse(null));
      status.put("lastEventAtMillis", progress.lastEventMillis());
      status.put("detail", progress.ending());
    }
    status.put("pid", ProcessHandle.current().pid());
    status.put("events", feed.size());
    try {
      reply(exchange, 200, "application/json", RunEventJson.mapper().writeValueAsString(status));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the run status as JSON", e);
    }
  }

  static void reply(HttpExchange exchange, int code, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** The page, read once from the classpath. */
  private static final class Page {
    static final String HTML = load();

    private static String load() {
      try (InputStream in = LiveServer.class.getResourceAsStream("live.html")) {
        if (in == null) {
          throw new IllegalStateException("live.html is missing from the classpath beside " + LiveServer.class);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read live.html", e);
      }
    }
  }
}
