package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.tsumugi.engine.model.BlockPlacement;
import org.tsumugi.engine.model.BlockResidency;
import org.tsumugi.engine.nn.LayerNormWeights;
import org.tsumugi.engine.nn.LinearLayer;
import org.tsumugi.engine.tensor.TensorStore;

/**
 * All weights of a Wan2.1 DiT, grouped as the forward pass uses them: embeddings, blocks, head.
 *
 * @param patchEmbedding the Conv3d weight [D, in_dim, 1, 2, 2] viewed as a linear layer [D, in_dim*4]
 * @param plainNorm the parameter-free LayerNorm shared by norm1, norm2 and head.norm
 * @param headModulation [1, 2, D]
 * @param imageEmbedding img_emb (image-to-video only), else null
 * @param residency which blocks stream their linear weights (blocks_to_swap, fp8); a block executor manages them
 */
public record WanWeights(
    WanConfig config,
    LinearLayer patchEmbedding,
    LinearLayer textEmbedding0,
    LinearLayer textEmbedding2,
    LinearLayer timeEmbedding0,
    LinearLayer timeEmbedding2,
    LinearLayer timeProjection,
    List<WanBlockWeights> blocks,
    LayerNormWeights plainNorm,
    NDArray headModulation,
    LinearLayer head,
    WanImageEmbeddingWeights imageEmbedding,
    BlockResidency residency) {

  /** Loads every weight of {@code config} from {@code src} (keys without the release prefix), all resident. */
  public static WanWeights load(TensorStore src, NDManager manager, WanConfig config) {
    return load(src, manager, config, BlockPlacement.RESIDENT);
  }

  /** Loads every weight, each block from the store {@code placement} gives it (resident, or slot views). */
  public static WanWeights load(TensorStore src, NDManager manager, WanConfig config, BlockPlacement placement) {
    List<WanBlockWeights> blocks = new ArrayList<>();
    for (int i = 0; i < config.numLayers(); i++) {
      blocks.add(WanBlockWeights.load(placement.blockStore(i, src), manager, config, i));
    }
    return new WanWeights(
        config,
        patchEmbedding(src, manager, config),
        linear(src, manager, "text_embedding.0"),
        linear(src, manager, "text_embedding.2"),
        linear(src, manager, "time_embedding.0"),
        linear(src, manager, "time_embedding.2"),
        linear(src, manager, "time_projection.1"),
        List.copyOf(blocks),
        LayerNormWeights.withoutAffine(manager, config.dim(), config.eps()),
        src.load("head.modulation", manager),
        linear(src, manager, "head.head"),
        config.imageToVideo() ? WanImageEmbeddingWeights.load(src, manager) : null,
        placement.residency());
  }

  private static LinearLayer patchEmbedding(TensorStore src, NDManager m, WanConfig c) {
    NDArray conv = src.load("patch_embedding.weight", m);
    NDArray asLinear = conv.reshape(c.dim(), c.patchVectorSize()); // [D, in_dim*1*2*2], (c, pt, ph, pw) order
    return new LinearLayer("patch_embedding", asLinear, src.load("patch_embedding.bias", m));
  }

  static LinearLayer linear(TensorStore src, NDManager m, String module) {
    return new LinearLayer(module, src.load(module + ".weight", m), src.load(module + ".bias", m));
  }
}
