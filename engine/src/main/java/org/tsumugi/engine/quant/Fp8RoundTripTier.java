package org.tsumugi.engine.quant;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Function;
import org.tsumugi.engine.model.WeightTier;

/**
 * A swapped fp8 block read from a float checkpoint: each read quantises and dequantises on the way into the slot, so
 * the block computes with exactly the weights it would have if it had been quantised at load, without holding or
 * writing an fp8 copy.
 */
public final class Fp8RoundTripTier implements WeightTier {

  private final WeightTier source;
  private final Map<String, long[]> shapes;
  private final Function<String, SourcePrecision> precision;

  public Fp8RoundTripTier(WeightTier source, Map<String, long[]> shapes, Function<String, SourcePrecision> precision) {
    this.source = source;
    this.shapes = shapes;
    this.precision = precision;
  }

  @Override
  public void read(String key, ByteBuffer into) {
    source.read(key, into);
    ScaledFp8.roundTrip(into, shapes.get(key), precision.apply(key));
  }
}
