package org.tsumugi.engine.lora;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.tsumugi.config.MetadataConfig;
import org.tsumugi.config.NetworkConfig;
import org.tsumugi.config.PythonJson;
import org.tsumugi.config.PythonText;
import org.tsumugi.config.StepCount;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.config.dataset.DatasetConfig;
import org.tsumugi.engine.optim.OptimizerFactory;

/**
 * The metadata of saved LoRA files: the reference's {@code ss_*} training keys (reference/lora-and-ema.md §1.9), every
 * value as Python's {@code str()} writes it, plus the {@code modelspec.*} keys (§1.11). The hashes are added by the
 * writer.
 *
 * <p>Times are not read from the clock at save time, as the reference does: {@code ss_training_started_at},
 * {@code ss_training_finished_at} and {@code modelspec.date} all hold the run's start time as recorded once in its
 * ledger, and {@code ss_session_id} is a function of the seed. A run that is killed and resumed therefore writes the
 * same bytes as the same run uninterrupted. {@code modelspec.date} is in UTC (the reference writes local time).
 */
public final class LoraMetadata {
  public static final String BASE_MODEL_VERSION = "wan";
  static final String ARCHITECTURE = "wan2.1";
  static final String IMPLEMENTATION = "https://github.com/Wan-Video/Wan2.1";
  /** Python's datetime.isoformat() of a whole second. */
  private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
  /** The keys {@code no_metadata} keeps (the reference's SS_METADATA_MINIMUM_KEYS). */
  private static final List<String> MINIMUM_KEYS = List.of("ss_base_model_version", "ss_network_module",
      "ss_network_dim", "ss_network_alpha", "ss_network_args");

  /**
   * What the run knows besides its options.
   *
   * @param startedAtMillis the run's start as recorded in its ledger
   * @param seed the run's seed (drawn once when the options leave it unset)
   * @param numTrainItems items over all datasets, repeats included
   * @param batchesPerEpoch L, the batches of one epoch
   */
  public record RunFacts(long startedAtMillis, long seed, int numTrainItems, int batchesPerEpoch,
      long numTrainEpochs, long maxTrainSteps) {}

  private final Map<String, String> training;
  private final boolean minimalOnly;
  private final Map<String, String> modelspec;

  private LoraMetadata(Map<String, String> training, boolean minimalOnly, Map<String, String> modelspec) {
    this.training = training;
    this.minimalOnly = minimalOnly;
    this.modelspec = modelspec;
  }

  public static LoraMetadata of(TsumugiConfig config, DatasetConfig datasets, RunFacts facts) {
    return new LoraMetadata(training(config, datasets, facts), config.metadata().noMetadata(),
        modelspec(config, facts.startedAtMillis()));
  }

  /** The reference's random session id, here a function of the seed (SplitMix64 finaliser, 32 bits). */
  public static long sessionId(long seed) {
    long z = seed + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) >>> 32;
  }

  /**
   * The metadata of one save: the training keys with {@code ss_steps} and {@code ss_epoch} (or only the minimum keys
   * with {@code no_metadata}), then modelspec.
   *
   * @param epoch what the reference writes as ss_epoch: 0-based at step saves, 1-based at epoch saves and the final
   */
  public Map<String, String> forSave(long steps, long epoch) {
    Map<String, String> out = new LinkedHashMap<>();
    if (minimalOnly) {
      MINIMUM_KEYS.stream().filter(training::containsKey).forEach(k -> out.put(k, training.get(k)));
    } else {
      out.putAll(training);
      out.put("ss_training_finished_at", training.get("ss_training_started_at"));
      out.put("ss_steps", Long.toString(steps));
      out.put("ss_epoch", Long.toString(epoch));
    }
    out.putAll(modelspec);
    return out;
  }

  /** The reference's training keys, in its order (reference/lora-and-ema.md §1.9). */
  private static Map<String, String> training(TsumugiConfig c, DatasetConfig datasets, RunFacts facts) {
    Map<String, String> m = new LinkedHashMap<>();
    run(m, c, facts);
    networkAndOptimizer(m, c, facts.seed());
    timesteps(m, c.timesteps(), c.training().guidanceScale());
    m.put("ss_datasets", PythonJson.dumps(DatasetMetadata.of(datasets)));
    if (!c.network().networkArgs().isEmpty()) {
      m.put("ss_network_args", PythonJson.dumps(new LinkedHashMap<>(c.network().networkArgs())));
    }
    Path dit = c.model().dit();
    m.put("ss_sd_model_name", Files.exists(dit) && dit.getFileName() != null ? dit.getFileName().toString()
        : dit.toString());
    return m;
  }

  private static void run(Map<String, String> m, TsumugiConfig c, RunFacts facts) {
    // Adafactor setting its own step size: the reference's get_optimizer has already set args.learning_rate to None
    // and args.lr_scheduler to "adafactor:<lr>" when the metadata is built (reference/training.md §4.2).
    boolean relativeStep = OptimizerFactory.usesRelativeStep(c.optimizer());
    String learningRate = PythonText.repr(c.optimizer().learningRate());
    m.put("ss_session_id", Long.toString(sessionId(facts.seed())));
    m.put("ss_training_started_at", PythonText.repr(facts.startedAtMillis() / 1000.0));
    m.put("ss_output_name", c.save().outputName());
    m.put("ss_learning_rate", relativeStep ? "None" : learningRate);
    m.put("ss_num_train_items", Integer.toString(facts.numTrainItems()));
    m.put("ss_num_batches_per_epoch", Integer.toString(facts.batchesPerEpoch()));
    m.put("ss_num_epochs", Long.toString(facts.numTrainEpochs()));
    m.put("ss_gradient_checkpointing", PythonText.str(c.model().gradientCheckpointing()));
    m.put("ss_gradient_checkpointing_cpu_offload", PythonText.str(false));
    m.put("ss_gradient_accumulation_steps", Integer.toString(c.training().gradientAccumulationSteps()));
    m.put("ss_max_train_steps", Long.toString(facts.maxTrainSteps()));
    m.put("ss_lr_warmup_steps", stepCount(c.lrScheduler().lrWarmupSteps()));
    m.put("ss_lr_scheduler", relativeStep ? "adafactor:" + learningRate : c.lrScheduler().lrScheduler().optionName());
  }

  private static void networkAndOptimizer(Map<String, String> m, TsumugiConfig c, long seed) {
    m.put("ss_base_model_version", BASE_MODEL_VERSION);
    m.put("ss_network_module", NetworkConfig.WAN_NETWORK_MODULE);
    m.put("ss_network_dim", Integer.toString(c.network().networkDim()));
    m.put("ss_network_alpha", alpha(c.network().networkAlpha()));
    m.put("ss_network_dropout", c.network().networkDropout().isPresent()
        ? PythonText.repr(c.network().networkDropout().getAsDouble()) : "None");
    // An unset mixed_precision is replaced by accelerate's own ("no" without an accelerate config) before the
    // reference builds its metadata.
    m.put("ss_mixed_precision", c.model().mixedPrecision().map(p -> p.optionName()).orElse("no"));
    m.put("ss_seed", Long.toString(seed));
    m.put("ss_training_comment", c.metadata().trainingComment().orElse("None"));
    m.put("ss_optimizer", OptimizerFactory.ssOptimizer(c.optimizer()));
    m.put("ss_max_grad_norm", PythonText.repr(c.optimizer().maxGradNorm()));
    m.put("ss_fp8_base", PythonText.str(c.model().fp8Base()));
    m.put("ss_full_fp16", PythonText.str(false));
    m.put("ss_full_bf16", PythonText.str(false));
  }

  private static void timesteps(Map<String, String> m, TimestepConfig t, double guidanceScale) {
    m.put("ss_weighting_scheme", t.weightingScheme().optionName());
    m.put("ss_logit_mean", PythonText.repr(t.logitMean()));
    m.put("ss_logit_std", PythonText.repr(t.logitStd()));
    m.put("ss_mode_scale", PythonText.repr(t.modeScale()));
    m.put("ss_guidance_scale", PythonText.repr(guidanceScale));
    m.put("ss_timestep_sampling", t.timestepSampling().optionName());
    m.put("ss_sigmoid_scale", PythonText.repr(t.sigmoidScale()));
    m.put("ss_discrete_flow_shift", PythonText.repr(t.discreteFlowShift()));
  }

  /** int_or_float as the reference keeps it: whole steps print as an int, ratios as a float. */
  private static String stepCount(StepCount count) {
    if (count instanceof StepCount.Ratio r) {
      return PythonText.repr(r.ratio());
    }
    return Long.toString(((StepCount.Steps) count).steps());
  }

  /**
   * The reference's default alpha is the int 1 ("1"); a given alpha is a float ("16.0"). The options keep only the
   * number, so 1.0 is taken as the default.
   */
  private static String alpha(double alpha) {
    return alpha == 1.0 ? "1" : PythonText.repr(alpha);
  }

  private static Map<String, String> modelspec(TsumugiConfig c, long startedAtMillis) {
    MetadataConfig md = c.metadata();
    Map<String, String> m = new LinkedHashMap<>();
    m.put("modelspec.sai_model_spec", "1.0.0");
    m.put("modelspec.architecture", md.architecture().orElse(ARCHITECTURE) + "/lora");
    m.put("modelspec.implementation", IMPLEMENTATION);
    m.put("modelspec.title", md.title().orElse(c.save().outputName()));
    m.put("modelspec.resolution", md.modelspecResolution());
    md.description().ifPresent(v -> m.put("modelspec.description", v));
    md.author().ifPresent(v -> m.put("modelspec.author", v));
    LocalDateTime date = LocalDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(startedAtMillis, 1000L)),
        ZoneOffset.UTC);
    m.put("modelspec.date", ISO_SECONDS.format(date));
    md.license().ifPresent(v -> m.put("modelspec.license", v));
    md.tags().ifPresent(v -> m.put("modelspec.tags", v));
    OptionalInt min = c.timesteps().minTimestep();
    OptionalInt max = c.timesteps().maxTimestep();
    if (min.isPresent() || max.isPresent()) {
      m.put("modelspec.timestep_range", min.orElse(0) + "," + max.orElse(1000));
    }
    return m;
  }
}
