package org.tsumugi.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which {@code lr_scheduler_args} each schedule takes (reference/training.md §4.4: the keyword arguments the
 * reference passes on to diffusers / its RexLR). Others would crash the reference with "unexpected keyword".
 */
final class SchedulerArgs {
  private static final Set<String> DECAY_SHAPES = Set.of("linear", "cosine", "1-sqrt");

  private SchedulerArgs() {}

  static Set<String> allowed(LrSchedulerType type) {
    return switch (type) {
      case COSINE -> Set.of("num_cycles");
      case POLYNOMIAL -> Set.of("lr_end");
      case WARMUP_STABLE_DECAY -> Set.of("warmup_type", "decay_type");
      case PIECEWISE_CONSTANT -> Set.of("step_rules");
      case REX -> Set.of("rex_alpha", "rex_beta");
      default -> Set.of();
    };
  }

  /** @throws ConfigError for a key the schedule does not take, or a value of the wrong kind */
  static Map<String, String> parse(List<String> items, LrSchedulerType type, KeyLocation where) {
    Map<String, String> args = KeyValueArgs.parseLiterals(items, where);
    Set<String> allowed = allowed(type);
    for (Map.Entry<String, String> arg : args.entrySet()) {
      KeyLocation at = where.child(arg.getKey());
      if (!allowed.contains(arg.getKey())) {
        throw at.error("lr_scheduler " + type.optionName() + " takes no lr_scheduler_args key " + arg.getKey()
            + (allowed.isEmpty() ? "" : ". Select from " + new java.util.TreeSet<>(allowed)));
      }
      PythonLiteral value = PythonLiteral.parse(arg.getValue(), at);
      switch (arg.getKey()) {
        case "step_rules" -> requireString(value, at, "a quoted string such as '1:10,0.1:20,0.01'");
        case "warmup_type", "decay_type" -> {
          requireString(value, at, "one of 'linear', 'cosine', '1-sqrt'");
          if (!DECAY_SHAPES.contains(((PythonLiteral.PyStr) value).value())) {
            throw at.error(at.key() + " must be one of 'linear', 'cosine', '1-sqrt', got " + arg.getValue());
          }
        }
        default -> {
          if (!(value instanceof PythonLiteral.PyInt || value instanceof PythonLiteral.PyFloat)) {
            throw at.error(at.key() + " must be a number, got " + arg.getValue());
          }
        }
      }
    }
    if (type == LrSchedulerType.PIECEWISE_CONSTANT && !args.containsKey("step_rules")) {
      throw where.error("lr_scheduler piecewise_constant needs lr_scheduler_args \"step_rules='1:10,0.1:20,0.01'\"");
    }
    return args;
  }

  private static void requireString(PythonLiteral value, KeyLocation at, String what) {
    if (!(value instanceof PythonLiteral.PyStr)) {
      throw at.error(at.key() + " must be " + what);
    }
  }
}
