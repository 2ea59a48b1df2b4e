package org.tsumugi.ops.monitor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tsumugi.actors.RunControl;
import org.tsumugi.actors.RunControl.Request;

/** {@code POST /control/{pause|resume|save|stop}}: hands the request to the run's supervisor and answers 202. */
final class LiveControl implements HttpHandler {

  static final String PREFIX = "/control/";

  /** The path names a person types, mapped to the supervisor's requests. */
  static final Map<String, Request> REQUESTS = requests();

  private final RunControl control;

  LiveControl(RunControl control) {
    this.control = control;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String name = exchange.getRequestURI().getPath().substring(PREFIX.length());
    Request request = REQUESTS.get(name);
    if (request == null) {
      LiveServer.reply(exchange, 404, "text/plain",
          "unknown control [" + name + "]. Select one of " + REQUESTS.keySet());
    } else if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      LiveServer.reply(exchange, 405, "text/plain", "control requests are POSTed: POST " + PREFIX + name);
    } else {
      control.request(request);
      LiveServer.reply(exchange, 202, "application/json", "{\"requested\":\"" + request.name() + "\"}");
    }
  }

  private static Map<String, Request> requests() {
    Map<String, Request> requests = new LinkedHashMap<>();
    requests.put("pause", Request.PAUSE);
    requests.put("resume", Request.RESUME);
    requests.put("save", Request.SAVE_NOW);
    requests.put("stop", Request.STOP_AFTER_NEXT_SAVE);
    return Collections.unmodifiableMap(requests);
  }
}
