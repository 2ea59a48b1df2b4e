package org.tsumugi.engine.optim;

import java.util.Collections;
import org.tsumugi.config.ConfigError;
import org.tsumugi.config.KeyLocation;
import org.tsumugi.config.PythonLiteral;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code optimizer_args} of one optimizer, parsed as Python literals in the order given (reference/training.md
 * §4.2), with typed readers that fall back to the optimizer's defaults. A name the optimizer does not take is refused
 * with the list of valid ones (the reference fails later with "unexpected keyword argument").
 */
public final class OptimizerArgs {
  private final String optimizer;
  private final Map<String, PythonLiteral> values = new LinkedHashMap<>();

  OptimizerArgs(String optimizer, Map<String, String> raw, List<String> valid) {
    this.optimizer = optimizer;
    for (Map.Entry<String, String> e : raw.entrySet()) {
      String key = e.getKey().strip();
      if (!valid.contains(key)) {
        throw new OptimizerOptionException("unknown argument [" + key + "] for optimizer_type " + optimizer
            + ". Valid: " + new TreeSet<>(valid));
      }
      try {
        values.put(key, PythonLiteral.parse(e.getValue(), new KeyLocation("optimizer_args." + key, "optimizer_args")));
      } catch (ConfigError bad) {
        throw new OptimizerOptionException(key + " is not a Python literal: " + bad.getMessage(), bad);
      }
    }
  }

  /** Every argument as parsed, in the order given (the reference's kwargs dict). */
  public Map<String, PythonLiteral> values() {
    return Collections.unmodifiableMap(values);
  }

  boolean has(String key) {
    return values.containsKey(key);
  }

  void put(String key, PythonLiteral value) {
    values.put(key, value);
  }

  double number(String key, double fallback) {
    PythonLiteral v = values.get(key);
    return v == null ? fallback : toNumber(key, v);
  }

  /** A number or None (null). */
  Double numberOrNone(String key, Double fallback) {
    PythonLiteral v = values.get(key);
    if (v == null) {
      return fallback;
    }
    return v instanceof PythonLiteral.PyNone ? null : toNumber(key, v);
  }

  long integer(String key, long fallback) {
    PythonLiteral v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof PythonLiteral.PyInt i) {
      return i.value();
    }
    throw wrong(key, v, "an integer");
  }

  boolean flag(String key, boolean fallback) {
    PythonLiteral v = values.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof PythonLiteral.PyBool b) {
      return b.value();
    }
    throw wrong(key, v, "True or False");
  }

  /** A pair of numbers such as betas {@code (0.9, 0.999)}. */
  double[] pair(String key, double first, double second) {
    PythonLiteral v = values.get(key);
    if (v == null) {
      return new double[] {first, second};
    }
    List<PythonLiteral> items = v instanceof PythonLiteral.PyTuple t ? t.items()
        : v instanceof PythonLiteral.PyList l ? l.items() : List.of();
    if (items.size() != 2) {
      throw wrong(key, v, "a pair of numbers such as (0.9, 0.999)");
    }
    return new double[] {toNumber(key, items.get(0)), toNumber(key, items.get(1))};
  }

  /** Refuses an argument whose value changes behaviour this port does not have, e.g. amsgrad=True. */
  void refuseUnless(String key, PythonLiteral supported, String why) {
    PythonLiteral v = values.get(key);
    if (v != null && !v.equals(supported)) {
      throw new OptimizerOptionException(key + "=" + v.repr() + " is not supported for optimizer_type " + optimizer
          + " (" + why + "); only " + key + "=" + supported.repr());
    }
  }

  void check(boolean ok, String key, String requirement) {
    if (!ok) {
      throw new OptimizerOptionException(key + " of optimizer_type " + optimizer + " " + requirement + ", got "
          + (values.containsKey(key) ? values.get(key).repr() : "the default"));
    }
  }

  private double toNumber(String key, PythonLiteral v) {
    if (v instanceof PythonLiteral.PyInt i) {
      return i.value();
    }
    if (v instanceof PythonLiteral.PyFloat f) {
      return f.value();
    }
    throw wrong(key, v, "a number");
  }

  private OptimizerOptionException wrong(String key, PythonLiteral v, String expected) {
    return new OptimizerOptionException(key + " of optimizer_type " + optimizer + " must be " + expected + ", got "
        + v.repr() + " (" + v.typeName() + ")");
  }
}
