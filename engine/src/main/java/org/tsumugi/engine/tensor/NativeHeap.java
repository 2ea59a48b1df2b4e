package org.tsumugi.engine.tensor;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Structure;
import java.util.Optional;

/**
 * The C library's heap, under libtorch's tensors. glibc keeps the pages of freed tensors, and as the free space
 * fragments over many steps the process grows by a few MiB a step although no tensor outlives its step. Giving the
 * free pages back keeps native memory flat (NativeHeapTrimmer decides when). Where the C library is not glibc both
 * calls do nothing.
 */
public final class NativeHeap {

  /** glibc's heap counters ({@code mallinfo2}), in bytes: chunks in use, and mmapped chunks. */
  public record Usage(long inUse, long mapped) {}

  private static final Optional<Function> MALLOC_TRIM = lookup("malloc_trim");
  private static final Optional<Function> MALLINFO2 = lookup("mallinfo2");

  private NativeHeap() {}

  /** Returns the free pages of every arena to the system; true if any were returned. */
  public static boolean trim() {
    return MALLOC_TRIM.map(f -> f.invokeInt(new Object[] {0L}) != 0).orElse(false);
  }

  /** True where the C library is glibc and both calls do their work. */
  public static boolean supported() {
    return MALLOC_TRIM.isPresent() && MALLINFO2.isPresent();
  }

  public static Optional<Usage> usage() {
    return MALLINFO2.map(f -> {
      MallInfo2 info = (MallInfo2) f.invoke(MallInfo2.class, new Object[0]);
      return new Usage(info.uordblks, info.hblkhd);
    });
  }

  /** glibc's {@code struct mallinfo2} (all {@code size_t}), returned by value; public only because JNA fills it. */
  @Structure.FieldOrder({"arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
      "fordblks", "keepcost"})
  public static final class MallInfo2 extends Structure implements Structure.ByValue {
    public long arena;
    public long ordblks;
    public long smblks;
    public long hblks;
    public long hblkhd;
    public long usmblks;
    public long fsmblks;
    public long uordblks;
    public long fordblks;
    public long keepcost;
  }

  private static Optional<Function> lookup(String name) {
    try {
      return Optional.of(NativeLibrary.getInstance("c").getFunction(name));
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Optional.empty();
    }
  }
}
