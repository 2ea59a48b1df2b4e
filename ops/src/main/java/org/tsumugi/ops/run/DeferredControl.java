package org.tsumugi.ops.run;

import org.tsumugi.actors.RunControl;

/**
 * The run's control as the monitoring sinks see it before the run exists: the live page is opened first (so a bad
 * port fails the launch, not the run), and its requests reach the supervisor once the run binds it. A request made
 * before that is dropped, as there is nothing to steer yet.
 */
final class DeferredControl implements RunControl {
  private volatile RunControl target;

  void bind(RunControl control) {
    this.target = control;
  }

  @Override
  public void request(Request request) {
    RunControl bound = target;
    if (bound != null) {
      bound.request(request);
    }
  }
}
