package org.tsumugi.engine.model.wan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.tsumugi.engine.tensor.ShapeMismatchException;

/**
 * The state-dict keys and shapes of a Wan2.1 DiT (reference/wan-model.md §1.2), and the checks that a checkpoint
 * has exactly these keys. Only loading code uses string keys; the model works on typed weight records.
 */
public final class WanLayout {

  /** Keys of the 1.3B release carry this prefix; 14B files have none. */
  public static final String RELEASE_PREFIX = "model.diffusion_model.";

  private WanLayout() {}

  /** The key prefix of block {@code index}: {@code blocks.<index>.}. */
  public static String blockPrefix(int index) {
    return "blocks." + index + ".";
  }

  /** Every key the model needs with its shape, in the reference's state-dict order. */
  public static Map<String, long[]> expectedShapes(WanConfig c) {
    Map<String, long[]> keys = new LinkedHashMap<>();
    long d = c.dim();
    keys.put("patch_embedding.weight", new long[] {d, c.inDim(), WanConfig.PATCH_T, WanConfig.PATCH_H, WanConfig.PATCH_W});
    keys.put("patch_embedding.bias", new long[] {d});
    linear(keys, "text_embedding.0", d, c.textDim());
    linear(keys, "text_embedding.2", d, d);
    linear(keys, "time_embedding.0", d, c.freqDim());
    linear(keys, "time_embedding.2", d, d);
    linear(keys, "time_projection.1", 6 * d, d);
    for (int i = 0; i < c.numLayers(); i++) {
      String b = blockPrefix(i);
      keys.put(b + "modulation", new long[] {1, 6, d});
      attention(keys, b + "self_attn.", d, false);
      keys.put(b + "norm3.weight", new long[] {d});
      keys.put(b + "norm3.bias", new long[] {d});
      attention(keys, b + "cross_attn.", d, c.imageToVideo());
      linear(keys, b + "ffn.0", c.ffnDim(), d);
      linear(keys, b + "ffn.2", d, c.ffnDim());
    }
    keys.put("head.modulation", new long[] {1, 2, d});
    linear(keys, "head.head", c.headOutSize(), d);
    if (c.imageToVideo()) {
      keys.put("img_emb.proj.0.weight", new long[] {WanConfig.CLIP_DIM});
      keys.put("img_emb.proj.0.bias", new long[] {WanConfig.CLIP_DIM});
      linear(keys, "img_emb.proj.1", WanConfig.CLIP_DIM, WanConfig.CLIP_DIM);
      linear(keys, "img_emb.proj.3", d, WanConfig.CLIP_DIM);
      keys.put("img_emb.proj.4.weight", new long[] {d});
      keys.put("img_emb.proj.4.bias", new long[] {d});
    }
    return keys;
  }

  private static void attention(Map<String, long[]> keys, String p, long d, boolean imageKv) {
    for (String proj : List.of("q", "k", "v", "o")) {
      linear(keys, p + proj, d, d);
    }
    keys.put(p + "norm_q.weight", new long[] {d});
    keys.put(p + "norm_k.weight", new long[] {d});
    if (imageKv) {
      linear(keys, p + "k_img", d, d);
      linear(keys, p + "v_img", d, d);
      keys.put(p + "norm_k_img.weight", new long[] {d});
    }
  }

  private static void linear(Map<String, long[]> keys, String module, long out, long in) {
    keys.put(module + ".weight", new long[] {out, in});
    keys.put(module + ".bias", new long[] {out});
  }

  /** The prefix the checkpoint's keys carry ("" or the release prefix). */
  public static String prefixOf(Iterable<String> names) {
    for (String n : names) {
      if (n.startsWith(RELEASE_PREFIX)) {
        return RELEASE_PREFIX;
      }
    }
    return "";
  }

  /**
   * Refuses a checkpoint whose keys (already stripped of their prefix) are not exactly those of {@code config}.
   *
   * @param source the file, named in the message
   */
  public static void check(Map<String, long[]> actual, WanConfig config, String source) {
    Map<String, long[]> expected = expectedShapes(config);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      long[] found = actual.get(e.getKey());
      if (found == null) {
        problems.add("missing key " + e.getKey() + " " + Arrays.toString(e.getValue()));
      } else if (!Arrays.equals(found, e.getValue())) {
        problems.add("key " + e.getKey() + " has shape " + Arrays.toString(found) + ", expected "
            + Arrays.toString(e.getValue()));
      }
    }
    for (String key : new TreeSet<>(actual.keySet())) {
      if (!expected.containsKey(key)) {
        problems.add("unexpected key " + key);
      }
    }
    if (!problems.isEmpty()) {
      int shown = Math.min(problems.size(), 10);
      String more = problems.size() > shown ? "\n  ... and " + (problems.size() - shown) + " more" : "";
      throw new ShapeMismatchException(source + " does not fit " + config + ":\n  "
          + String.join("\n  ", problems.subList(0, shown)) + more);
    }
  }

  /**
   * Reads the sizes of a Wan2.1 DiT off its tensor shapes. The head count and text length cannot be seen in the
   * weights, so they are given (Wan2.1 always uses head dim 128 and 512 text rows); {@code numHeads} ≤ 0 means
   * dim / 128.
   */
  public static WanConfig infer(Map<String, long[]> shapes, int numHeads, int textLen, String source) {
    long[] patch = require(shapes, "patch_embedding.weight", source);
    long[] text0 = require(shapes, "text_embedding.0.weight", source);
    long[] time0 = require(shapes, "time_embedding.0.weight", source);
    long[] ffn0 = require(shapes, "blocks.0.ffn.0.weight", source);
    long[] head = require(shapes, "head.head.weight", source);
    int layers = 0;
    while (shapes.containsKey("blocks." + layers + ".modulation")) {
      layers++;
    }
    boolean i2v = shapes.containsKey("blocks.0.cross_attn.k_img.weight");
    int outDim = (int) head[0] / (WanConfig.PATCH_T * WanConfig.PATCH_H * WanConfig.PATCH_W);
    int heads = numHeads > 0 ? numHeads : Math.max(1, (int) patch[0] / 128);
    return new WanConfig((int) patch[0], (int) ffn0[0], (int) time0[1], (int) text0[1], textLen, (int) patch[1],
        outDim, heads, layers, 1e-6f, i2v);
  }

  private static long[] require(Map<String, long[]> shapes, String key, String source) {
    long[] s = shapes.get(key);
    if (s == null) {
      throw new ShapeMismatchException(source + " is not a Wan2.1 DiT checkpoint: missing key " + key);
    }
    return s;
  }
}
