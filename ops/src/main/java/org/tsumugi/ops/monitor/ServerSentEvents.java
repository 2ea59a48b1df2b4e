package org.tsumugi.ops.monitor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * {@code GET /events}: every event so far, then live ones, as server-sent events ({@code id:} the event's number,
 * {@code data:} its JSON). A {@code Last-Event-ID} header (sent by a reconnecting browser) skips what the client has.
 * Each stream holds one server thread, so their number is bounded.
 */
final class ServerSentEvents implements HttpHandler {

  static final int MAX_STREAMS = 8;
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private final EventFeed feed;
  private final Semaphore streams = new Semaphore(MAX_STREAMS);

  ServerSentEvents(EventFeed feed) {
    this.feed = feed;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (!streams.tryAcquire()) {
      LiveServer.reply(exchange, 503, "text/plain", "too many event streams (at most " + MAX_STREAMS + ")");
      return;
    }
    try {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, 0);
      stream(exchange.getResponseBody(), lastEventId(exchange));
    } catch (IOException e) {
      // the client went away: nothing to do
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      streams.release();
      exchange.close();
    }
  }

  private void stream(OutputStream body, long lastId) throws IOException, InterruptedException {
    body.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
    body.flush();
    long id = lastId;
    while (true) {
      List<String> events = feed.after(id, KEEP_ALIVE);
      if (events.isEmpty() && feed.isClosed()) {
        return;
      }
      StringBuilder text = new StringBuilder();
      if (events.isEmpty()) {
        text.append(": keep-alive\n\n"); // a comment line: keeps proxies and idle timeouts from closing the stream
      }
      for (String json : events) {
        id++;
        text.append("id: ").append(id).append('\n').append("data: ").append(json).append("\n\n");
      }
      body.write(text.toString().getBytes(StandardCharsets.UTF_8));
      body.flush();
    }
  }

  private static long lastEventId(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Last-Event-ID");
    if (header == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
