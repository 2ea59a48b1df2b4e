package org.tsumugi.engine.ema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tsumugi.engine.io.SafetensorsFile;
import org.tsumugi.engine.io.TensorInfo;

/**
 * The checkpoints of one merge, opened (headers only) and checked against the first: same tensor names, shapes and
 * kinds (floating-point or not), and alphas that agree. The reference tolerates a tensor missing from a later file
 * (it is just not updated); we refuse it, as a set with differing keys is not one run's checkpoints.
 */
final class EmaInputs implements AutoCloseable {
  private final List<SafetensorsFile> files;

  private EmaInputs(List<SafetensorsFile> files) {
    this.files = files;
  }

  static EmaInputs open(List<Path> paths) throws IOException {
    if (paths.size() < 2) {
      throw new EmaMergeException("a post-hoc EMA merge needs at least 2 checkpoints, got " + paths.size());
    }
    List<SafetensorsFile> files = new ArrayList<>();
    try {
      for (int i = 0; i < paths.size(); i++) {
        files.add(openOne(paths.get(i), i, paths.size()));
      }
      EmaInputs inputs = new EmaInputs(List.copyOf(files));
      for (int i = 1; i < files.size(); i++) {
        inputs.checkAgainstFirst(files.get(i));
      }
      return inputs;
    } catch (IOException | RuntimeException e) {
      for (SafetensorsFile f : files) {
        f.close();
      }
      throw e;
    }
  }

  private static SafetensorsFile openOne(Path path, int index, int count) throws EmaMergeException {
    try {
      return SafetensorsFile.open(path);
    } catch (IOException e) {
      throw new EmaMergeException("checkpoint " + (index + 1) + " of " + count + " cannot be read: " + e.getMessage(),
          e);
    }
  }

  /** Checks a later file against the first; used by the offline merge and by each incremental fold. */
  static void checkCompatible(SafetensorsFile first, SafetensorsFile later) throws EmaMergeException {
    for (TensorInfo t : first.tensors()) {
      TensorInfo other = later.find(t.name()).orElseThrow(() -> new EmaMergeException(later.path() + " lacks tensor \""
          + t.name() + "\" of " + first.path()));
      if (!Arrays.equals(t.shape(), other.shape())) {
        throw new EmaMergeException("tensor \"" + t.name() + "\" is " + Arrays.toString(t.shape()) + " in "
            + first.path() + " but " + Arrays.toString(other.shape()) + " in " + later.path());
      }
      if (t.dtype().isFloatingPoint() != other.dtype().isFloatingPoint()) {
        throw new EmaMergeException("tensor \"" + t.name() + "\" is " + t.dtype() + " in " + first.path() + " but "
            + other.dtype() + " in " + later.path() + " (floating-point and integer tensors cannot be merged)");
      }
      if (PostHocEma.isAlpha(t.name())) {
        checkAlpha(first, later, t.name());
      }
    }
    if (later.tensors().size() != first.tensors().size()) {
      String extra = later.tensors().stream().map(TensorInfo::name).filter(n -> first.find(n).isEmpty())
          .findFirst().orElseThrow();
      throw new EmaMergeException(later.path() + " has tensor \"" + extra + "\", which " + first.path() + " lacks");
    }
  }

  private void checkAgainstFirst(SafetensorsFile later) throws EmaMergeException {
    checkCompatible(files.get(0), later);
  }

  private static void checkAlpha(SafetensorsFile first, SafetensorsFile later, String name) throws EmaMergeException {
    double[] kept = numbers(first, name);
    double[] other = numbers(later, name);
    for (int i = 0; i < kept.length; i++) {
      if (!PostHocEma.alphaMatches((float) kept[i], (float) other[i])) {
        throw new EmaMergeException("alpha \"" + name + "\" is " + kept[i] + " in " + first.path() + " but "
            + other[i] + " in " + later.path() + "; alphas are never averaged and must agree");
      }
    }
  }

  private static double[] numbers(SafetensorsFile file, String name) {
    if (file.info(name).dtype().isFloatingPoint()) {
      float[] f = file.readFloats(name);
      double[] out = new double[f.length];
      for (int i = 0; i < f.length; i++) {
        out[i] = f[i];
      }
      return out;
    }
    return Arrays.stream(file.readLongs(name)).asDoubleStream().toArray();
  }

  /** Refuses an output that would overwrite one of the inputs. */
  static void checkOutput(Path output, List<Path> inputs) throws IOException {
    Path target = output.toAbsolutePath().normalize();
    for (Path input : inputs) {
      boolean same = Files.exists(output) ? Files.isSameFile(output, input)
          : target.equals(input.toAbsolutePath().normalize());
      if (same) {
        throw new EmaMergeException("output " + output + " is also an input; write the merge to a new file");
      }
    }
  }

  List<SafetensorsFile> files() {
    return files;
  }

  @Override
  public void close() throws IOException {
    for (SafetensorsFile f : files) {
      f.close();
    }
  }
}
