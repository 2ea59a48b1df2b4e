package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.tsumugi.engine.nn.Activations;
import org.tsumugi.engine.nn.LinearCall;

/**
 * The DiT's input stage (reference/wan-model.md §1.3 steps 1–7): patch, time, text and image embeddings.
 *
 * <p>Dimensions: B batch, C latent channels, F/H/W latent frames/height/width, f/h/w token grid, L = f·h·w tokens,
 * D model width, T text rows.
 */
public final class WanEmbeddings {

  private WanEmbeddings() {}

  public static WanEmbedded embed(WanWeights w, WanInputs in, LinearCall lin) {
    WanConfig c = w.config();
    NDArray x = in.imageLatents() == null ? in.latents() : in.latents().concat(in.imageLatents(), 1);
    NDManager m = x.getManager();
    Shape s = x.getShape(); // [B, C, F, H, W]
    int b = (int) s.get(0);
    var grid = new WanEmbedded.Grid((int) s.get(2), (int) s.get(3) / WanConfig.PATCH_H, (int) s.get(4) / WanConfig.PATCH_W);
    if (s.get(1) != c.inDim()) {
      throw new IllegalArgumentException("latents have " + s.get(1) + " channels, the model takes " + c.inDim());
    }
    NDArray tokens = lin.apply(w.patchEmbedding(), patchify(x, grid)); // [B, L, D]

    NDArray e = timeEmbedding(w, lin, sinusoid(m, in.timesteps(), c.freqDim())); // [B, D]
    NDArray e0 = lin.apply(w.timeProjection(), Activations.silu(e)).reshape(b, 6, c.dim()); // [B, 6, D]

    NDArray text = lin.apply(w.textEmbedding2(),
        Activations.geluTanh(lin.apply(w.textEmbedding0(), padContext(m, in.context(), c)))); // [B, T, D]
    NDArray image = in.clip() == null ? null : imageEmbedding(w.imageEmbedding(), in.clip(), lin);

    WanRope.Tables rope = WanRope.forGrid(grid.f(), grid.h(), grid.w(), c.headDim()).tables(m);
    return new WanEmbedded(tokens, e, new WanBlockContext(e0, text, image, rope), grid);
  }

  /** [B, C, F, H, W] → [B, L, C·1·2·2], each patch vector ordered (c, pt, ph, pw) as the Conv3d weight. */
  static NDArray patchify(NDArray x, WanEmbedded.Grid g) {
    long b = x.getShape().get(0);
    long c = x.getShape().get(1);
    NDArray split = x.reshape(b, c, g.f(), g.h(), WanConfig.PATCH_H, g.w(), WanConfig.PATCH_W); // [B,C,f,h,2,w,2]
    return split.transpose(0, 2, 3, 5, 1, 4, 6).reshape(b, g.tokens(), c * WanConfig.PATCH_H * WanConfig.PATCH_W);
  }

  /** [cos(t·ω_j) | sin(t·ω_j)] with ω_j = 10000^(−j/half), formed in double (cos first). Returns [B, freq_dim]. */
  static NDArray sinusoid(NDManager m, float[] timesteps, int freqDim) {
    int half = freqDim / 2;
    float[] out = new float[timesteps.length * freqDim];
    for (int i = 0; i < timesteps.length; i++) {
      for (int j = 0; j < half; j++) {
        double a = (double) timesteps[i] * Math.pow(10000.0, -(double) j / half);
        out[i * freqDim + j] = (float) Math.cos(a);
        out[i * freqDim + half + j] = (float) Math.sin(a);
      }
    }
    return m.create(out, new Shape(timesteps.length, freqDim));
  }

  private static NDArray timeEmbedding(WanWeights w, LinearCall lin, NDArray sinusoid) {
    return lin.apply(w.timeEmbedding2(), Activations.silu(lin.apply(w.timeEmbedding0(), sinusoid)));
  }

  /** Zero-pads each sample's text rows to text_len (the padded rows are attended to, as the model was trained). */
  static NDArray padContext(NDManager m, List<NDArray> context, WanConfig c) {
    NDList rows = new NDList();
    for (int i = 0; i < context.size(); i++) {
      NDArray ctx = context.get(i);
      long len = ctx.getShape().get(0);
      if (len > c.textLen() || ctx.getShape().get(1) != c.textDim()) {
        throw new IllegalArgumentException("context " + i + " has shape " + ctx.getShape() + ", the model takes at most ["
            + c.textLen() + ", " + c.textDim() + "]");
      }
      rows.add(len == c.textLen() ? ctx : ctx.concat(m.zeros(new Shape(c.textLen() - len, c.textDim())), 0));
    }
    return NDArrays.stack(rows);
  }

  private static NDArray imageEmbedding(WanImageEmbeddingWeights w, NDArray clip, LinearCall lin) {
    NDArray h = lin.apply(w.proj1(), w.norm0().apply(clip));
    return w.norm4().apply(lin.apply(w.proj3(), Activations.gelu(h)));
  }
}
