package org.tsumugi.engine.train;

/**
 * The base randomness of one sample in a continuous timestep mode (reference/training.md §2, "u-source"): fresh
 * draws, or a supplied uniform u (timestep buckets) that normal-based modes turn into z = √2·erfinv(2u − 1) with u
 * clamped to [1e-7, 1 − 1e-7], in the reference's float32 arithmetic. The qinglong branch decision is always fresh.
 */
sealed interface BaseDraw {
  float SQRT2 = (float) Math.sqrt(2);
  float U_LOW = 1e-7f;
  float U_HIGH = (float) (1 - 1e-7);

  /** u ~ U[0, 1). */
  float uniform();

  /** z ~ N(0, 1). */
  float normal();

  /** λ ~ N(mean, std) (logsnr modes). */
  float normal(double mean, double std);

  /** The qinglong branch decision d ~ U[0, 1). */
  float decision();

  record Fresh(RandomStream random) implements BaseDraw {
    @Override
    public float uniform() {
      return random.nextFloat();
    }

    @Override
    public float normal() {
      return (float) random.nextGaussian();
    }

    @Override
    public float normal(double mean, double std) {
      return (float) mean + (float) std * normal();
    }

    @Override
    public float decision() {
      return random.nextFloat();
    }
  }

  record Supplied(float u, RandomStream random) implements BaseDraw {
    @Override
    public float uniform() {
      return u;
    }

    @Override
    public float normal() {
      return SQRT2 * erfinvOfTerm();
    }

    @Override
    public float normal(double mean, double std) {
      // the reference writes mean + std * sqrt(2) * erfinv(...): std·√2 is a Python double product
      return (float) mean + (float) (std * Math.sqrt(2)) * erfinvOfTerm();
    }

    @Override
    public float decision() {
      return random.nextFloat();
    }

    private float erfinvOfTerm() {
      float clamped = Math.min(Math.max(u, U_LOW), U_HIGH);
      float term = 2f * clamped - 1f;
      return (float) StandardNormal.erfinv(term);
    }
  }
}
