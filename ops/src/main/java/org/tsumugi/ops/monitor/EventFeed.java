package org.tsumugi.ops.monitor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The run's events as JSON, numbered from 1 in arrival order, for any number of readers that each wait for what comes
 * after the last one they saw. The number is the server-sent event id, so a reconnecting browser resumes exactly.
 */
final class EventFeed {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition grown = lock.newCondition();
  private final List<String> events = new ArrayList<>();
  private boolean closed;

  void append(String json) {
    lock.lock();
    try {
      events.add(json);
      grown.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The events numbered above {@code lastId}, waiting up to {@code wait} for one; empty if none came or closed. */
  List<String> after(long lastId, Duration wait) throws InterruptedException {
    long nanos = wait.toNanos();
    lock.lock();
    try {
      while (events.size() <= lastId && !closed && nanos > 0) {
        nanos = grown.awaitNanos(nanos);
      }
      int from = (int) Math.min(Math.max(lastId, 0), events.size());
      return List.copyOf(events.subList(from, events.size()));
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return events.size();
    } finally {
      lock.unlock();
    }
  }

  boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every reader; they finish what they have and end their streams. */
  void close() {
    lock.lock();
    try {
      closed = true;
      grown.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
