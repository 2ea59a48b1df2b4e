package org.tsumugi.actors;

import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves the calling thread out of training's way, for saves written while the trainer keeps every core busy. Any CPU
 * a save takes from one of libtorch's threads stalls the whole parallel kernel at its barrier, so a merely nice thread
 * still costs the step about twice its own time. On Linux the thread becomes {@code SCHED_IDLE}: it runs in the
 * moments a core would otherwise wait (the trainer's serial stretches, barrier waits) and otherwise only on CFS's
 * minimum share, so a save can take many steps while training runs but is never lost (the final save runs when
 * training has ended). Where that policy is refused the thread gets the lowest nice value; elsewhere nothing changes.
 */
final class BackgroundPriority {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundPriority.class);

  /** Linux's scheduling policy for background work (CFS weight 3 against a normal thread's 1024). */
  static final int SCHED_IDLE = 5;
  private static final int LOWEST_NICE = 19;
  private static final int PRIO_PROCESS = 0;

  private BackgroundPriority() {}

  static void idleCurrentThread() {
    try {
      NativeLibrary c = NativeLibrary.getInstance("c");
      int tid = c.getFunction("gettid").invokeInt(new Object[0]);
      Memory param = new Memory(Integer.BYTES); // struct sched_param: its priority must be 0 for SCHED_IDLE
      param.setInt(0, 0);
      if (c.getFunction("sched_setscheduler").invokeInt(new Object[] {tid, SCHED_IDLE, param}) != 0
          && c.getFunction("setpriority").invokeInt(new Object[] {PRIO_PROCESS, tid, LOWEST_NICE}) != 0) {
        LOG.debug("thread {} keeps its priority: neither SCHED_IDLE nor nice {} was allowed", tid, LOWEST_NICE);
      }
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.debug("cannot lower this thread's priority: {}", e.toString());
    }
  }
}
