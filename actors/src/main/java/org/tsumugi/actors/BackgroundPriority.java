package org.tsumugi.actors;

import com.sun.jna.NativeLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the calling thread's CPU priority, for work that must not slow training down: saves are written while the
 * trainer keeps every core busy. At nice 10 (CFS weight 110 against a normal thread's 1024) the thread yields to
 * training but still gets about a tenth of a busy core, so a save is never held back for long (SCHED_IDLE or nice 19
 * can hold a save back until training ends). On Linux a thread is a task with its own nice value; elsewhere, or if
 * refused, nothing changes.
 */
final class BackgroundPriority {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundPriority.class);

  static final int SAVE_NICE = 10;
  private static final int PRIO_PROCESS = 0;

  private BackgroundPriority() {}

  static void lowerCurrentThread() {
    try {
      NativeLibrary c = NativeLibrary.getInstance("c");
      int tid = c.getFunction("gettid").invokeInt(new Object[0]);
      if (c.getFunction("setpriority").invokeInt(new Object[] {PRIO_PROCESS, tid, SAVE_NICE}) != 0) {
        LOG.debug("thread {} keeps its priority: nice {} was refused", tid, SAVE_NICE);
      }
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.debug("cannot lower this thread's priority: {}", e.toString());
    }
  }
}
