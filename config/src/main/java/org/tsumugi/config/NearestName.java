package org.tsumugi.config;

import java.util.Collection;
import java.util.Optional;

/** Suggests the known name closest to a misspelt one (Levenshtein distance, case-insensitive). */
public final class NearestName {
  private NearestName() {}

  /**
   * The closest candidate, if it is close enough to be a plausible typo: at most a third of the longer name's
   * letters differ (at least two edits are always tolerated), or the name is a shortening of it (image_dir).
   */
  public static Optional<String> among(Collection<String> candidates, String typo) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(typo.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    boolean close = bestDistance <= Math.max(2, Math.max(best.length(), typo.length()) / 3);
    boolean shortening = typo.length() >= 4 && best.toLowerCase(java.util.Locale.ROOT)
        .startsWith(typo.toLowerCase(java.util.Locale.ROOT));
    if (!close && !shortening) {
      return Optional.empty();
    }
    return Optional.of(best);
  }

  /** A sentence to append to an "unknown" message: " Did you mean x?" or "". */
  public static String hint(Collection<String> candidates, String typo) {
    return among(candidates, typo).map(n -> " Did you mean " + n + "?").orElse("");
  }

  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
