package org.tsumugi.engine.ema;

/**
 * The decay β used when merge number {@code i} (0-based; merge i folds checkpoint i+1 into the running average) is
 * applied (reference/lora-and-ema.md §2 step 4).
 */
public sealed interface EmaSchedule {

  /** β for merge {@code i}, in double as the reference computes it. */
  double beta(int merge);

  /** The same β for every merge. */
  static EmaSchedule constant(double beta) {
    return new Interpolated(beta, beta, 2);
  }

  /**
   * β moving linearly from {@code beta} (first merge) to {@code beta2} (last merge) over {@code checkpoints} files,
   * i.e. {@code checkpoints − 1} merges; the incremental form needs the planned count up front.
   */
  static EmaSchedule interpolated(double beta, double beta2, int checkpoints) {
    return new Interpolated(beta, beta2, checkpoints);
  }

  /** The power-function EMA for a relative width σ_rel: β_i = (1 − 1/(i+1))^(γ+1), so β_0 = 0. */
  static EmaSchedule sigmaRel(double sigmaRel) {
    return new PowerFunction(sigmaRel, SigmaRel.toGamma(sigmaRel));
  }

  record Interpolated(double beta, double beta2, int checkpoints) implements EmaSchedule {
    public Interpolated {
      if (checkpoints < 2) {
        throw new IllegalArgumentException("an EMA merge needs at least 2 checkpoints, got " + checkpoints);
      }
    }

    /** @throws IllegalArgumentException for a merge past the planned count while β still moves */
    @Override
    public double beta(int merge) {
      int merges = checkpoints - 1;
      if (beta != beta2 && (merge < 0 || merge >= merges)) {
        throw new IllegalArgumentException("merge " + (merge + 1) + " is beyond the " + merges + " merges planned for "
            + checkpoints + " checkpoints; beta would leave [" + beta + ", " + beta2 + "]");
      }
      return merges > 1 ? beta + (beta2 - beta) * ((double) merge / (merges - 1)) : beta;
    }
  }

  record PowerFunction(double sigmaRel, double gamma) implements EmaSchedule {
    @Override
    public double beta(int merge) {
      double t = merge + 1;
      return StrictMath.pow(1 - 1 / t, gamma + 1);
    }
  }
}
