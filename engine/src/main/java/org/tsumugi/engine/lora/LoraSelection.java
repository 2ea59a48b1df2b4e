package org.tsumugi.engine.lora;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.tsumugi.config.NetworkConfig;

/**
 * Which candidate layers get an adapter (reference/lora-and-ema.md §1.2): a layer is skipped when an exclude
 * pattern full-matches its dotted name and no include pattern does. Include only rescues excluded layers.
 */
public record LoraSelection(List<Pattern> excludes, List<Pattern> includes) {

  /** The user's exclude patterns followed by the architecture's defaults; the user's include patterns. */
  public static LoraSelection of(NetworkConfig config, LoraTargets targets) {
    List<String> exclude = new ArrayList<>(config.excludePatterns());
    exclude.addAll(targets.defaultExcludes());
    return new LoraSelection(compile(exclude, "exclude_patterns"), compile(config.includePatterns(), "include_patterns"));
  }

  public boolean selects(String module) {
    boolean excluded = excludes.stream().anyMatch(p -> p.matcher(module).matches());
    boolean included = includes.stream().anyMatch(p -> p.matcher(module).matches());
    return !excluded || included;
  }

  private static List<Pattern> compile(List<String> patterns, String option) {
    List<Pattern> compiled = new ArrayList<>();
    for (String p : patterns) {
      try {
        compiled.add(Pattern.compile(p));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("network_args " + option + ": invalid regular expression [" + p + "]: "
            + e.getDescription(), e);
      }
    }
    return compiled;
  }
}
