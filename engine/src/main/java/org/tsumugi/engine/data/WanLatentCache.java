package org.tsumugi.engine.data;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tsumugi.engine.io.TensorInfo;

/**
 * A Wan latent cache file ({@code *_wan.safetensors}, reference/wan-model.md §4.2), opened and checked against the
 * model: {@code latents_{F}x{H}x{W}_{dtype}} [16, F, H, W]; optionally {@code latents_image_*} [20, F, H, W],
 * {@code latents_control_*} [16, F, H, W], {@code clip_*} [257, 1280] ([n, 257, 1280] in one-frame caches) and
 * {@code f_indices_int32} [F]. Dtypes are taken from the header, never from the key suffix. Memory-mapped: opening
 * reads only the header; close it after reading.
 */
public final class WanLatentCache implements AutoCloseable {
  private static final Set<CacheEntry> ENTRIES = EnumSet.of(CacheEntry.LATENTS, CacheEntry.IMAGE_LATENTS,
      CacheEntry.CONTROL_LATENTS, CacheEntry.CLIP, CacheEntry.FRAME_INDICES);
  private static final long CLIP_TOKENS = 257;
  private static final long CLIP_DIM = 1280;

  private final CacheTensors tensors;
  private final LatentGrid grid;

  private WanLatentCache(CacheTensors tensors, LatentGrid grid) {
    this.tensors = tensors;
    this.grid = grid;
  }

  /**
   * Opens and checks a latent cache.
   *
   * @throws CacheFileException naming the file if it cannot be read, is not a Wan cache, lacks the latents (or, for
   *     an image-to-video model, the image latents and CLIP features), or holds a tensor of the wrong shape or dtype
   */
  public static WanLatentCache open(Path file, CacheRequirements requirements) throws CacheFileException {
    CacheTensors tensors = CacheTensors.open(file, ENTRIES);
    try {
      LatentGrid grid = check(tensors, requirements);
      return new WanLatentCache(tensors, grid);
    } catch (CacheFileException | RuntimeException e) {
      tensors.close();
      throw e;
    }
  }

  private static LatentGrid check(CacheTensors tensors, CacheRequirements requirements) throws CacheFileException {
    TensorInfo latents = tensors.require(CacheEntry.LATENTS, "latents_{F}x{H}x{W}_bfloat16");
    LatentGrid grid = keyGrid(tensors, latents);
    checkLatent(tensors, latents, CacheRequirements.LATENT_CHANNELS, grid);
    Optional<TensorInfo> image = tensors.find(CacheEntry.IMAGE_LATENTS);
    if (image.isPresent()) {
      checkLatent(tensors, image.get(), CacheRequirements.IMAGE_LATENT_CHANNELS, grid);
    }
    Optional<TensorInfo> control = tensors.find(CacheEntry.CONTROL_LATENTS);
    if (control.isPresent()) {
      checkLatent(tensors, control.get(), CacheRequirements.LATENT_CHANNELS, grid);
    }
    Optional<TensorInfo> indices = tensors.find(CacheEntry.FRAME_INDICES);
    if (indices.isPresent()) {
      checkFrameIndices(tensors, indices.get(), grid);
    }
    Optional<TensorInfo> clip = tensors.find(CacheEntry.CLIP);
    if (clip.isPresent()) {
      checkClip(tensors, clip.get(), indices.isPresent());
    }
    if (requirements.imageToVideo()) {
      tensors.require(CacheEntry.IMAGE_LATENTS, "latents_image_{F}x{H}x{W}_bfloat16, cached with --i2v or --clip;"
          + " an image-to-video model needs it");
      tensors.require(CacheEntry.CLIP, "clip_bfloat16, cached with --clip; an image-to-video model needs it");
    }
    return grid;
  }

  private static LatentGrid keyGrid(CacheTensors tensors, TensorInfo t) throws CacheFileException {
    Optional<LatentGrid> grid = CacheKeys.gridPart(t.name()).flatMap(LatentGrid::parse);
    if (grid.isEmpty()) {
      throw new CacheFileException(tensors.path(), "tensor key \"" + t.name() + "\" has no {F}x{H}x{W} part; latent"
          + " keys are named like latents_1x60x104_bfloat16");
    }
    return grid.get();
  }

  private static void checkLatent(CacheTensors tensors, TensorInfo t, int channels, LatentGrid grid)
      throws CacheFileException {
    tensors.requireFloating(t);
    LatentGrid named = keyGrid(tensors, t);
    if (!named.equals(grid)) {
      throw new CacheFileException(tensors.path(), "tensor key \"" + t.name() + "\" names the latent size " + named
          + " but the main latent is " + grid);
    }
    long[] shape = t.shape();
    if (shape.length != 4) {
      throw new CacheFileException(tensors.path(), "tensor \"" + t.name() + "\" has rank " + shape.length
          + "; a latent is [C, F, H, W]");
    }
    if (shape[0] != channels) {
      throw new CacheFileException(tensors.path(), "tensor \"" + t.name() + "\" has " + shape[0] + " channels;"
          + " this entry has " + channels + " for Wan2.1");
    }
    tensors.requireShape(t, grid.shape(channels), "the size its key names (" + grid + ")");
  }

  private static void checkFrameIndices(CacheTensors tensors, TensorInfo t, LatentGrid grid)
      throws CacheFileException {
    if (!t.dtype().isIntegral()) {
      throw new CacheFileException(tensors.path(), "tensor \"" + t.name() + "\" is " + t.dtype()
          + "; frame indices are integers (int32)");
    }
    tensors.requireShape(t, new long[] {grid.frames()}, "one index per latent frame");
  }

  private static void checkClip(CacheTensors tensors, TensorInfo t, boolean oneFrame) throws CacheFileException {
    tensors.requireFloating(t);
    long[] shape = t.shape();
    if (oneFrame && shape.length == 3 && shape[0] >= 1) {
      tensors.requireShape(t, new long[] {shape[0], CLIP_TOKENS, CLIP_DIM}, "CLIP features of each control image");
    } else {
      tensors.requireShape(t, new long[] {CLIP_TOKENS, CLIP_DIM}, "CLIP image features"
          + (oneFrame ? " (or [n, 257, 1280] in a one-frame cache)" : ""));
    }
  }

  public Path file() {
    return tensors.path();
  }

  /** The latent size F×H×W shared by every latent entry. */
  public LatentGrid grid() {
    return grid;
  }

  /** The entries present (always LATENTS). */
  public Set<CacheEntry> entries() {
    return EnumSet.copyOf(tensors.entries().keySet());
  }

  /**
   * Checks the file against what its name says (§4.1): the original size in {@code width}/{@code height} metadata,
   * and the frames: a video clip of n pixel frames has (n−1)/4+1 latent frames and {@code frame_count} = n; an image
   * has one latent frame unless it is a one-frame cache (with {@code f_indices}).
   *
   * @throws CacheFileException naming the file and the disagreement
   */
  public void checkName(CacheFileName name) throws CacheFileException {
    checkMetadata("width", name.width());
    checkMetadata("height", name.height());
    if (name.frameCount().isPresent()) {
      int frames = name.frameCount().getAsInt();
      checkMetadata("frame_count", frames);
      if (grid.frames() != LatentGrid.latentFrames(frames)) {
        throw new CacheFileException(file(), "the file name says " + frames + " frames, which the VAE encodes as "
            + LatentGrid.latentFrames(frames) + " latent frames, but the latent has " + grid.frames());
      }
    } else if (grid.frames() != 1 && !entries().contains(CacheEntry.FRAME_INDICES)) {
      throw new CacheFileException(file(), "is an image cache (its name has no start-frames part) but its latent has "
          + grid.frames() + " frames; an image latent has 1 (one-frame caches also hold f_indices)");
    }
  }

  private void checkMetadata(String key, int expected) throws CacheFileException {
    String value = metadata().get(key);
    if (value != null && !CacheFileName.decimal(value).equals(Optional.of(expected))) {
      throw new CacheFileException(file(), "metadata " + key + "=\"" + value + "\" but the file name says "
          + expected);
    }
  }

  public Map<String, String> metadata() {
    return tensors.metadata();
  }

  /** A floating-point entry (latents, image or control latents, CLIP) widened to float32. */
  public HostTensor read(CacheEntry entry) throws CacheFileException {
    if (entry == CacheEntry.FRAME_INDICES || entry == CacheEntry.T5) {
      throw new IllegalArgumentException(entry + " is not a float entry of a latent cache");
    }
    TensorInfo t = tensors.require(entry, entry.batchName());
    return new HostTensor(t.shape(), tensors.readFloats(t));
  }

  /** The one-frame frame indices, if the cache has them. */
  public Optional<int[]> readFrameIndices() throws CacheFileException {
    Optional<TensorInfo> t = tensors.find(CacheEntry.FRAME_INDICES);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    long[] values = tensors.readLongs(t.get());
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > Integer.MAX_VALUE) {
        throw new CacheFileException(file(), "tensor \"" + t.get().name() + "\" holds " + values[i] + " at element "
            + i + "; a frame index is a non-negative int");
      }
      out[i] = (int) values[i];
    }
    return Optional.of(out);
  }

  @Override
  public void close() {
    tensors.close();
  }
}
