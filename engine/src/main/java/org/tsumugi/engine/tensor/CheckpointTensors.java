package org.tsumugi.engine.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tsumugi.engine.io.Checkpoint;

/** A safetensors checkpoint seen as model keys: {@code prefix} (e.g. "model.diffusion_model.") is stripped. */
public final class CheckpointTensors implements TensorStore {

  private final Checkpoint checkpoint;
  private final String prefix;
  private final Map<String, long[]> shapes;

  public CheckpointTensors(Checkpoint checkpoint, String prefix) {
    this.checkpoint = checkpoint;
    this.prefix = prefix;
    Map<String, long[]> s = new LinkedHashMap<>();
    for (String name : checkpoint.names()) {
      String key = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
      s.put(key, checkpoint.info(name).shape());
    }
    this.shapes = Collections.unmodifiableMap(s);
  }

  @Override
  public Map<String, long[]> shapes() {
    return shapes;
  }

  @Override
  public NDArray load(String key, NDManager manager) {
    String name = checkpoint.find(prefix + key).isPresent() ? prefix + key : key;
    return checkpoint.load(manager, name);
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }
}
