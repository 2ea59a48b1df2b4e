package org.tsumugi.engine.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A batch read into Java memory: produced on a loader thread without touching DJL, turned into DJL arrays by
 * {@link #toNDArrays} on the thread that owns native memory.
 */
public record LoadedBatch(PlannedBatch plan, List<ItemArrays> items) {

  public LoadedBatch {
    items = List.copyOf(items);
  }

  /**
   * Reads every item of {@code plan}; the items must agree on which entries they have and on their shapes, so that
   * they stack (the reference stacks them with torch.stack).
   *
   * @throws CacheFileException naming the file at fault
   */
  public static LoadedBatch load(PlannedBatch plan, CacheRequirements requirements) throws CacheFileException {
    List<ItemArrays> items = new ArrayList<>(plan.size());
    for (CacheItem item : plan.items()) {
      ItemArrays arrays = ItemArrays.read(item, requirements);
      if (!items.isEmpty()) {
        checkStackable(items.get(0), arrays);
      }
      items.add(arrays);
    }
    return new LoadedBatch(plan, items);
  }

  private static void checkStackable(ItemArrays first, ItemArrays other) throws CacheFileException {
    for (CacheEntry entry : CacheEntry.values()) {
      if (entry == CacheEntry.T5) {
        continue;
      }
      Optional<long[]> a = first.shape(entry);
      Optional<long[]> b = other.shape(entry);
      if (a.isPresent() != b.isPresent() || (a.isPresent() && !Arrays.equals(a.get(), b.get()))) {
        throw new CacheFileException(other.item().latentFile(), "its " + entry.batchName() + " is "
            + b.map(Arrays::toString).orElse("absent") + " but " + first.item().latentFile() + " in the same batch"
            + " has " + a.map(Arrays::toString).orElse("none") + "; the items of a batch must stack");
      }
    }
  }

  /** The batch as DJL arrays attached to {@code manager}. */
  public Batch toNDArrays(NDManager manager) {
    NDArray latents = HostTensor.stack(manager, items.stream().map(ItemArrays::latents).toList());
    List<NDArray> context = items.stream().map(a -> a.context().toNDArray(manager)).toList();
    return new Batch(latents, context,
        stackIfPresent(manager, ItemArrays::imageLatents),
        stackIfPresent(manager, ItemArrays::clip),
        stackIfPresent(manager, ItemArrays::controlLatents),
        frameIndices(manager),
        plan.timestepUniforms());
  }

  private Optional<NDArray> stackIfPresent(NDManager manager, Function<ItemArrays, Optional<HostTensor>> entry) {
    if (entry.apply(items.get(0)).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(HostTensor.stack(manager, items.stream().map(a -> entry.apply(a).orElseThrow()).toList()));
  }

  private Optional<NDArray> frameIndices(NDManager manager) {
    if (items.get(0).frameIndices().isEmpty()) {
      return Optional.empty();
    }
    int k = items.get(0).frameIndices().get().length;
    int[] all = new int[items.size() * k];
    for (int i = 0; i < items.size(); i++) {
      System.arraycopy(items.get(i).frameIndices().orElseThrow(), 0, all, i * k, k);
    }
    return Optional.of(manager.create(all, new Shape(items.size(), k)));
  }
}
