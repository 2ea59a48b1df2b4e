package org.tsumugi.ops.bench;

import ai.djl.ndarray.types.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tsumugi.engine.model.MemoryOptions;
import org.tsumugi.engine.model.wan.WanConfig;
import org.tsumugi.engine.model.wan.WanLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tsumugi bench memory}: peak resident memory (VmHWM) and step time of LoRA training under gradient
 * checkpointing, block swap and fp8 weights, on a generated model of the task's shape. Peak RSS is per process, so
 * every configuration runs in a fresh JVM (this command forks itself with {@code --run}).
 */
@Command(name = "memory", mixinStandardHelpOptions = true,
    description = "Peak RSS and step time per memory configuration (gradient checkpointing, blocks_to_swap, fp8).")
public final class MemoryBenchmark implements Callable<Integer> {

  @Option(names = "--task", defaultValue = "t2v-1.3B", description = "model shape (default ${DEFAULT-VALUE})")
  String task;

  @Option(names = "--layers", description = "number of blocks (default: the task's)")
  Integer layers;

  @Option(names = "--frames", defaultValue = "1", description = "latent frames (default ${DEFAULT-VALUE})")
  int frames;

  @Option(names = "--latent-size", defaultValue = "16", description = "latent height = width (default ${DEFAULT-VALUE})")
  int latentSize;

  @Option(names = "--context-rows", defaultValue = "64", description = "text rows before padding (default 64)")
  int contextRows;

  @Option(names = "--steps", defaultValue = "2", description = "timed steps after one warm-up (default 2)")
  int steps;

  @Option(names = "--swap", split = ",", description = "blocks_to_swap values (default: 0, half, all but one)")
  List<Integer> swaps;

  @Option(names = "--checkpointing", split = ",", arity = "1", defaultValue = "false,true",
      description = "gradient_checkpointing values (default false,true)")
  List<Boolean> checkpointing;

  @Option(names = "--fp8", split = ",", arity = "1", defaultValue = "false", description = "fp8_base + fp8_scaled values")
  List<Boolean> fp8;

  @Option(names = "--source", defaultValue = "BF16", description = "generated checkpoint: BF16 or FP8_SCALED")
  RandomCheckpoint.Format source;

  @Option(names = "--work-dir", defaultValue = "${sys:java.io.tmpdir}/tsumugi-bench-memory",
      description = "where the generated checkpoint is written once (default ${DEFAULT-VALUE})")
  Path workDir;

  @Option(names = "--child-heap", defaultValue = "1g", description = "-Xmx of each measured JVM (default 1g)")
  String childHeap;

  @Option(names = "--seed", defaultValue = "1")
  long seed;

  @Option(names = "--compute-threads", defaultValue = "1", description = "libtorch threads of the measured JVM "
      + "(default 1: one core computes while the Prefetcher reads on another, like a GPU and its copy engine)")
  int computeThreads;

  @Option(names = "--rounds", defaultValue = "1", description = "times to run every configuration, in reverse order "
      + "every other round, so that a change in the machine's load falls on all of them (default 1)")
  int rounds;

  @Option(names = "--report", description = "print the table and findings of the RESULT lines in this file (the "
      + "output of earlier runs) instead of measuring")
  Path report;

  @Option(names = "--run", hidden = true, description = "measure one configuration in this process")
  String run;

  @Override
  public Integer call() throws Exception {
    WanConfig config = WanConfig.Preset.forTask(task).config();
    config = layers == null ? config : config.withLayers(layers);
    if (report != null) {
      List<String> results = Files.readAllLines(report).stream()
          .filter(l -> l.startsWith("RESULT ")).toList();
      System.out.println(MemoryTable.format(results, config));
      System.out.println(MemoryFindings.format(results, config));
      return 0;
    }
    Path checkpoint = RandomCheckpoint.ensure(workDir, config, seed, source);
    Shape latents = new Shape(1, config.inDim(), frames, latentSize, latentSize);
    if (run != null) {
      quietLogs();
      System.out.println(MemoryRun.run(checkpoint, config, parse(run), latents, contextRows, steps).line());
      return 0;
    }
    printHeader(config, checkpoint, latents);
    List<MemoryOptions> configurations = new ArrayList<>();
    for (boolean f : fp8) {
      for (boolean gc : checkpointing) {
        for (int s : swaps == null ? List.of(0, config.numLayers() / 2, config.numLayers() - 1) : swaps) {
          configurations.add(new MemoryOptions(f, s, gc));
        }
      }
    }
    List<List<String>> lines = new ArrayList<>();
    configurations.forEach(c -> lines.add(new ArrayList<>()));
    for (int round = 0; round < rounds; round++) {
      for (int k = 0; k < configurations.size(); k++) {
        int c = round % 2 == 0 ? k : configurations.size() - 1 - k;
        String line = fork(configurations.get(c));
        System.out.println(line);
        lines.get(c).add(line);
      }
    }
    List<String> all = lines.stream().flatMap(List::stream).toList();
    System.out.println();
    System.out.println(MemoryTable.format(all, config));
    System.out.println(MemoryFindings.format(all, config));
    return 0;
  }

  private void printHeader(WanConfig config, Path checkpoint, Shape latents) {
    long all = 0;
    long blocks = 0;
    for (var e : WanLayout.expectedShapes(config).entrySet()) {
      long n = new Shape(e.getValue()).size();
      all += n;
      blocks += e.getKey().startsWith("blocks.") ? n : 0;
    }
    System.out.printf(Locale.ROOT, "model %s: %d parameters, float32 weights %d bytes = %.0f MiB = %.3f GiB "
        + "(blocks %.0f MiB, %.1f MiB each)%n", config, all, all * 4, all * 4 / 1048576.0, all * 4 / 1073741824.0,
        blocks * 4 / 1048576.0, blocks * 4 / 1048576.0 / config.numLayers());
    System.out.printf(Locale.ROOT, "checkpoint %s; latents %s = %d tokens; %d text rows (padded to %d); "
        + "%d timed steps after a warm-up; child JVM -Xmx%s, %d compute thread(s)%n", checkpoint, latents,
        frames * (latentSize / 2) * (latentSize / 2), contextRows, config.textLen(), steps, childHeap,
        computeThreads);
  }

  /** Runs one configuration in a fresh JVM and returns its result line. */
  private String fork(MemoryOptions options) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx" + childHeap, "-XX:MaxDirectMemorySize=64g", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=" + computeThreads, "-Dai.djl.pytorch.num_interop_threads=1",
        "-cp", System.getProperty("java.class.path"), "org.tsumugi.ops.Main", "bench", "memory",
        "--task", task, "--frames", "" + frames, "--latent-size", "" + latentSize, "--context-rows", "" + contextRows,
        "--steps", "" + steps, "--source", source.name(), "--work-dir", workDir.toString(), "--seed", "" + seed,
        "--run", describe(options)));
    if (layers != null) {
      command.addAll(List.of("--layers", "" + layers));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("OMP_NUM_THREADS", "" + computeThreads);
    Process child = builder.start();
    List<String> output = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        output.add(line);
      }
    }
    int exit = child.waitFor();
    return output.stream().filter(l -> l.startsWith("RESULT ")).findFirst().orElseGet(() -> "FAILED "
        + describe(options) + " (exit " + exit + "):\n  " + String.join("\n  ", output));
  }

  static String describe(MemoryOptions o) {
    return String.format(Locale.ROOT, "fp8=%b,swap=%d,gc=%b", o.fp8Scaled(), o.blocksToSwap(),
        o.gradientCheckpointing());
  }

  static MemoryOptions parse(String text) {
    boolean f = false;
    int swap = 0;
    boolean gc = false;
    for (String part : text.split(",")) {
      String[] kv = part.split("=", 2);
      switch (kv[0]) {
        case "fp8" -> f = Boolean.parseBoolean(kv[1]);
        case "swap" -> swap = Integer.parseInt(kv[1]);
        case "gc" -> gc = Boolean.parseBoolean(kv[1]);
        default -> throw new IllegalArgumentException("unknown --run item [" + part + "]. Use fp8=, swap=, gc=");
      }
    }
    return new MemoryOptions(f, swap, gc);
  }

  /** Pekko and the Prefetcher log through logback; a measured run prints only its result. */
  private static void quietLogs() {
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
  }
}
