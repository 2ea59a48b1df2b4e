package org.tsumugi.engine.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident and peak resident memory (MiB) and CPU time, from /proc (Linux). */
public final class ProcessMemory {

  private ProcessMemory() {}

  public static double residentMiB() {
    return statusKb("VmRSS:") / 1024.0;
  }

  public static double peakResidentMiB() {
    return statusKb("VmHWM:") / 1024.0;
  }

  /** Starts a new peak: the kernel resets VmHWM to the current resident size (Linux 4.0+); false if refused. */
  public static boolean resetPeak() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** CPU seconds (user + system, all threads) the process has used, from /proc/self/stat; -1 if unknown. */
  public static double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The anonymous part of the resident memory (heaps, native allocations), without mapped file pages. */
  public static double anonymousMiB() {
    return statusKb("RssAnon:") / 1024.0;
  }

  private static long statusKb(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
