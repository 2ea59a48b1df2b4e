package org.tsumugi.engine.model.wan;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A Wan2.1 DiT's sizes, in the symbols of reference/wan-model.md §1.1 (patch size is always 1x2x2, q/k norm and
 * cross-attention norm are always on in Wan2.1).
 *
 * @param dim D, the hidden width
 * @param ffnDim Dff
 * @param freqDim width of the sinusoidal time embedding
 * @param textDim width of the text-encoder rows (4096 for umt5-xxl)
 * @param textLen rows the text context is zero-padded to
 * @param inDim latent channels in (16, or 36 for image-to-video)
 * @param outDim latent channels out
 * @param numHeads n; head dim d = D / n
 * @param numLayers number of blocks
 * @param eps epsilon of every LayerNorm and RMSNorm
 * @param imageToVideo whether blocks carry the CLIP image cross-attention (k_img, v_img) and the model has img_emb
 */
public record WanConfig(
    int dim,
    int ffnDim,
    int freqDim,
    int textDim,
    int textLen,
    int inDim,
    int outDim,
    int numHeads,
    int numLayers,
    float eps,
    boolean imageToVideo) {

  public static final int PATCH_T = 1;
  public static final int PATCH_H = 2;
  public static final int PATCH_W = 2;
  public static final int CLIP_TOKENS = 257;
  public static final int CLIP_DIM = 1280;

  public WanConfig {
    if (dim <= 0 || numHeads <= 0 || dim % numHeads != 0) {
      throw new IllegalArgumentException("dim " + dim + " must be a positive multiple of num_heads " + numHeads);
    }
    if ((dim / numHeads) % 2 != 0) {
      throw new IllegalArgumentException("head dim " + dim / numHeads + " must be even for RoPE");
    }
    if (freqDim % 2 != 0) {
      throw new IllegalArgumentException("freq_dim " + freqDim + " must be even");
    }
  }

  /** The named presets of the reference's WAN_CONFIGS. */
  public enum Preset {
    T2V_1_3B("t2v-1.3B", new WanConfig(1536, 8960, 256, 4096, 512, 16, 16, 12, 30, 1e-6f, false)),
    T2V_14B("t2v-14B", new WanConfig(5120, 13824, 256, 4096, 512, 16, 16, 40, 40, 1e-6f, false)),
    I2V_14B("i2v-14B", new WanConfig(5120, 13824, 256, 4096, 512, 36, 16, 40, 40, 1e-6f, true));

    private final String task;
    private final WanConfig config;

    Preset(String task, WanConfig config) {
      this.task = task;
      this.config = config;
    }

    public String task() {
      return task;
    }

    public WanConfig config() {
      return config;
    }

    public static Preset forTask(String task) {
      for (Preset p : values()) {
        if (p.task.equalsIgnoreCase(task)) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown Wan task [" + task + "]. Select one of "
          + Arrays.stream(values()).map(Preset::task).collect(Collectors.joining(", ", "[", "]")));
    }
  }

  public int headDim() {
    return dim / numHeads;
  }

  /** Channels of one patch vector: in_dim * 1 * 2 * 2. */
  public int patchVectorSize() {
    return inDim * PATCH_T * PATCH_H * PATCH_W;
  }

  /** Channels the head produces per token: out_dim * 1 * 2 * 2. */
  public int headOutSize() {
    return outDim * PATCH_T * PATCH_H * PATCH_W;
  }

  /** The same architecture with fewer blocks (benchmarks, tests). */
  public WanConfig withLayers(int layers) {
    return new WanConfig(dim, ffnDim, freqDim, textDim, textLen, inDim, outDim, numHeads, layers, eps, imageToVideo);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Wan(dim=%d, ffn=%d, heads=%d, layers=%d, in=%d, text=%dx%d%s)",
        dim, ffnDim, numHeads, numLayers, inDim, textLen, textDim, imageToVideo ? ", i2v" : "");
  }
}
