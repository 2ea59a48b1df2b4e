package org.tsumugi.engine.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test parameters with chosen values and gradients (a gradient G is made by back-propagating Σ p·G). */
final class Trainables implements AutoCloseable {
  final NDManager manager = NDManager.newBaseManager();
  final List<Parameter> params = new ArrayList<>();
  final List<long[]> shapes = new ArrayList<>();

  /** Parameters of the given shapes, values drawn from N(0, 1)·scale with {@code seed}. */
  static Trainables random(long seed, double scale, long[]... shapes) {
    Random random = new Random(seed);
    float[][] values = new float[shapes.length][];
    for (int i = 0; i < shapes.length; i++) {
      values[i] = gaussian(random, new Shape(shapes[i]).size(), scale);
    }
    return of(values, shapes);
  }

  static Trainables of(float[][] values, long[]... shapes) {
    Trainables t = new Trainables();
    for (int i = 0; i < shapes.length; i++) {
      NDArray value = t.manager.create(values[i], new Shape(shapes[i]));
      value.setRequiresGradient(true);
      t.params.add(new Parameter("p" + i + ".weight", value));
      t.shapes.add(shapes[i]);
    }
    return t;
  }

  List<ParameterGroup> groups() {
    return List.of(new ParameterGroup("unet", 1.0, params));
  }

  void setGradients(float[][] grads) {
    Gradients.zero(params);
    try (NDScope scope = new NDScope();
        GradientCollector collector = Engine.getInstance().newGradientCollector();
        NDManager scratch = manager.newSubManager()) {
      NDArray total = null;
      for (int i = 0; i < params.size(); i++) {
        NDArray g = scratch.create(grads[i], new Shape(shapes.get(i)));
        NDArray term = params.get(i).value().mul(g).sum();
        total = total == null ? term : total.add(term);
      }
      collector.backward(total);
    }
  }

  /** Random gradients of every parameter's size. */
  float[][] randomGradients(Random random, double scale) {
    float[][] grads = new float[params.size()][];
    for (int i = 0; i < grads.length; i++) {
      grads[i] = gaussian(random, params.get(i).value().size(), scale);
    }
    return grads;
  }

  float[][] values() {
    float[][] v = new float[params.size()][];
    for (int i = 0; i < v.length; i++) {
      v[i] = params.get(i).value().toFloatArray();
    }
    return v;
  }

  static float[] gaussian(Random random, long n, double scale) {
    float[] out = new float[(int) n];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (random.nextGaussian() * scale);
    }
    return out;
  }

  static float[][] copy(float[][] values) {
    float[][] out = new float[values.length][];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i].clone();
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
