package org.tsumugi.engine.train;

import java.util.List;
import java.util.OptionalDouble;
import org.tsumugi.config.LrSchedulerConfig;
import org.tsumugi.config.LrSchedulerType;

/**
 * The multiplicative schedules (LambdaLR in the reference; reference/training.md §4.4 table), each a closed form in
 * k with N total, W warmup and D decay steps. "warm" is k/max(1, W) while k &lt; W.
 */
final class ScheduleCurves {
  private static final String ARGS = "lr_scheduler_args";
  private static final List<String> TYPES = List.of("linear", "cosine", "1-sqrt");

  private ScheduleCurves() {}

  static LrSchedule.Curve curve(LrSchedulerConfig config, long n, long w, long d, double learningRate) {
    LrSchedulerType type = config.lrScheduler();
    LrSchedulerArgs args = new LrSchedulerArgs(config.schedulerArgs(), type.optionName(), allowedArgs(type));
    int cycles = config.lrSchedulerNumCycles();
    return switch (type) {
      case CONSTANT -> constant(w);
      case CONSTANT_WITH_WARMUP -> k -> k < w ? warm(k, w) : 1.0;
      case LINEAR -> k -> k < w ? warm(k, w) : Math.max(0.0, (double) (n - k) / Math.max(1, n - w));
      case COSINE -> {
        double waves = args.number("num_cycles").orElse(0.5);
        yield k -> k < w ? warm(k, w) : Math.max(0.0, halfCosine(waves, progress(k, n, w)));
      }
      case COSINE_WITH_RESTARTS -> k -> k < w ? warm(k, w) : restarts(cycles, progress(k, n, w));
      case POLYNOMIAL -> polynomial(args, config.lrSchedulerPower(), n, w, learningRate);
      case INVERSE_SQRT -> inverseSqrt(config, w);
      case COSINE_WITH_MIN_LR -> cosineWithMinLr(args, config, n, w, learningRate);
      case WARMUP_STABLE_DECAY -> warmupStableDecay(args, config, n, w, d);
      case PIECEWISE_CONSTANT -> PiecewiseRules.parse(args.text("step_rules").orElseThrow(
          () -> new TrainingOptionException(ARGS,
              "lr_scheduler piecewise_constant needs step_rules, e.g. step_rules='1:10,0.1:20,0.01'")))::factor;
      case REX -> throw new IllegalStateException("rex is not a multiplicative schedule");
      case ADAFACTOR -> throw new TrainingOptionException("lr_scheduler", "adafactor is Adafactor's own schedule,"
          + " used only when optimizer_type Adafactor sets its own step size (relative_step)");
    };
  }

  /** The {@code lr_scheduler_args} keys each schedule takes (beyond those the trainer passes itself). */
  static List<String> allowedArgs(LrSchedulerType type) {
    return switch (type) {
      case COSINE -> List.of("num_cycles");
      case POLYNOMIAL -> List.of("lr_end");
      case COSINE_WITH_MIN_LR -> List.of("min_lr");
      case WARMUP_STABLE_DECAY -> List.of("warmup_type", "decay_type");
      case PIECEWISE_CONSTANT -> List.of("step_rules");
      case REX -> List.of("rex_alpha", "rex_beta");
      case CONSTANT, CONSTANT_WITH_WARMUP, LINEAR, COSINE_WITH_RESTARTS, INVERSE_SQRT, ADAFACTOR -> List.of();
    };
  }

  private static LrSchedule.Curve constant(long w) {
    if (w != 0) {
      throw new TrainingOptionException("lr_warmup_steps", "lr_scheduler constant takes no warmup, got " + w
          + " steps. Set lr_warmup_steps 0 or use constant_with_warmup");
    }
    return k -> 1.0;
  }

  private static LrSchedule.Curve polynomial(LrSchedulerArgs args, double power, long n, long w, double lr0) {
    double lrEnd = args.number("lr_end").orElse(1e-7);
    if (!(lr0 > lrEnd)) {
      throw new TrainingOptionException("learning_rate",
          "lr_scheduler polynomial needs learning_rate above lr_end " + lrEnd + ", got " + lr0);
    }
    if (w == n) {
      throw new TrainingOptionException("lr_warmup_steps",
          "lr_scheduler polynomial needs warmup shorter than the run, got " + w + " of " + n + " steps");
    }
    return k -> {
      if (k < w) {
        return warm(k, w);
      }
      if (k > n) {
        return lrEnd / lr0;
      }
      double remaining = 1 - (double) (k - w) / (n - w);
      return ((lr0 - lrEnd) * StrictMath.pow(remaining, power) + lrEnd) / lr0;
    };
  }

  private static LrSchedule.Curve inverseSqrt(LrSchedulerConfig config, long w) {
    long timescale = config.lrSchedulerTimescale().isPresent()
        ? config.lrSchedulerTimescale().getAsInt()
        : (w != 0 ? w : 10_000);
    if (timescale <= 0) {
      throw new TrainingOptionException("lr_scheduler_timescale", "must be positive, got " + timescale);
    }
    return k -> k < w ? warm(k, w) : 1.0 / Math.sqrt((double) (k + timescale - w) / timescale);
  }

  private static LrSchedule.Curve cosineWithMinLr(
      LrSchedulerArgs args, LrSchedulerConfig config, long n, long w, double lr0) {
    OptionalDouble minLr = args.number("min_lr");
    OptionalDouble ratio = config.lrSchedulerMinLrRatio();
    if (minLr.isPresent() && ratio.isPresent()) {
      throw new TrainingOptionException("lr_scheduler_min_lr_ratio",
          "give either lr_scheduler_min_lr_ratio or lr_scheduler_args min_lr, not both");
    }
    if (minLr.isEmpty() && ratio.isEmpty()) {
      throw new TrainingOptionException("lr_scheduler_min_lr_ratio", "is required by lr_scheduler cosine_with_min_lr");
    }
    double r = ratio.isPresent() ? ratio.getAsDouble() : minLr.getAsDouble() / lr0;
    double waves = config.lrSchedulerNumCycles() / 2.0;
    return k -> k < w ? warm(k, w) : Math.max(0.0, floorAt(halfCosine(waves, progress(k, n, w)), r));
  }

  private static LrSchedule.Curve warmupStableDecay(
      LrSchedulerArgs args, LrSchedulerConfig config, long n, long w, long d) {
    String warmupType = args.choice("warmup_type", "linear", TYPES);
    String decayType = args.choice("decay_type", "cosine", TYPES);
    double r = config.lrSchedulerMinLrRatio().orElse(0.0);
    double waves = config.lrSchedulerNumCycles() / 2.0;
    long stable = n - w - d;
    return k -> {
      if (k < w) {
        double p = (double) k / Math.max(1, w);
        double f = switch (warmupType) {
          case "cosine" -> 0.5 * (1 - StrictMath.cos(Math.PI * p));
          case "1-sqrt" -> 1 - Math.sqrt(1 - p);
          default -> p;
        };
        return Math.max(0.0, floorAt(f, r));
      }
      if (k < w + stable) {
        return 1.0;
      }
      if (k < w + stable + d) {
        double p = (double) (k - w - stable) / Math.max(1, d);
        double f = switch (decayType) {
          case "linear" -> 1 - p;
          case "1-sqrt" -> 1 - Math.sqrt(p);
          default -> halfCosine(waves, p);
        };
        return Math.max(0.0, floorAt(f, r));
      }
      return r;
    };
  }

  private static double warm(long k, long w) {
    return (double) k / Math.max(1, w);
  }

  private static double progress(long k, long n, long w) {
    return (double) (k - w) / Math.max(1, n - w);
  }

  /** ½(1 + cos(π·2·waves·p)). */
  private static double halfCosine(double waves, double p) {
    return 0.5 * (1 + StrictMath.cos(Math.PI * waves * 2 * p));
  }

  private static double restarts(int cycles, double p) {
    return p >= 1 ? 0.0 : Math.max(0.0, 0.5 * (1 + StrictMath.cos(Math.PI * ((cycles * p) % 1.0))));
  }

  /** f·(1 − r) + r: the curve rescaled to end at ratio r instead of 0. */
  private static double floorAt(double f, double r) {
    return f * (1 - r) + r;
  }
}
