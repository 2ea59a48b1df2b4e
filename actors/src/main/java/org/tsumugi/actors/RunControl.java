package org.tsumugi.actors;

/** Requests a person can make of a running run (from the live page); each becomes a message to the supervisor. */
public interface RunControl {

  enum Request { PAUSE, RESUME, SAVE_NOW, STOP_AFTER_NEXT_SAVE }

  void request(Request request);
}
