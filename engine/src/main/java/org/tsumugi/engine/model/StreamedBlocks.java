package org.tsumugi.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.tsumugi.engine.tensor.TensorStore;

/**
 * Blocks whose linear weights stream through a ring of shared slots (reference/wan-model.md §6, ring size 2).
 *
 * <p>A slot is one block's worth of float32 buffers outside the JVM heap. Every streamed block's weights are
 * permanent arrays that view its slot's buffers, so the model's typed weights, LoRA's module names and autograd all
 * see ordinary tensors; what a view holds is whichever block was last brought into that slot. Autograd keeps views,
 * not copies, of the weights a linear used, so a block's backward reads the slot at backward time: the block executor
 * brings the block in again first (the reference's swap does the same with the storage of its GPU copies).
 */
public final class StreamedBlocks implements BlockPlacement, BlockResidency {
  /** Slot ring size; the reference's default ring of two lets one block compute while the next is read. */
  public static final int RING = 2;
  private static final int EMPTY = -1;

  private final BlockLayout layout;
  private final Map<Integer, WeightTier> tiers;
  private final List<Integer> streamed;
  private final Map<Integer, Integer> slotOf = new HashMap<>();
  private final List<Slot> slots = new ArrayList<>();
  private final Map<Integer, Map<String, NDArray>> views = new HashMap<>();

  /**
   * @param tiers the offload tier of each streamed block (the other blocks are resident)
   * @param manager owns the slot views; they live as long as the model's weights
   */
  public StreamedBlocks(BlockLayout layout, SortedMap<Integer, WeightTier> tiers, NDManager manager) {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new UnsupportedOperationException("streamed weights assume a little-endian machine");
    }
    this.layout = layout;
    this.tiers = new TreeMap<>(tiers);
    this.streamed = List.copyOf(this.tiers.keySet());
    for (int b : streamed) {
      if (b < 0 || b >= layout.count()) {
        throw new IllegalArgumentException("block " + b + " does not exist: the model has " + layout.count());
      }
    }
    for (int s = 0; s < Math.min(RING, streamed.size()); s++) {
      slots.add(new Slot(layout));
    }
    for (int rank = 0; rank < streamed.size(); rank++) {
      int block = streamed.get(rank);
      Slot slot = slots.get(rank % RING);
      slotOf.put(block, rank % RING);
      Map<String, NDArray> blockViews = new LinkedHashMap<>();
      layout.streamed().forEach((key, shape) -> blockViews.put(key,
          manager.create(slot.buffers.get(key), new Shape(shape), DataType.FLOAT32)));
      views.put(block, blockViews);
    }
  }

  /**
   * The last {@code blocksToSwap} blocks stream from {@code tier}; the others stay resident (reference/wan-model.md
   * §6: at most blocks − 1 may be swapped).
   */
  public static BlockPlacement swapped(BlockLayout layout, int blocksToSwap, WeightTier tier, NDManager manager) {
    checkSwap(blocksToSwap, layout.count());
    if (blocksToSwap == 0) {
      return BlockPlacement.RESIDENT;
    }
    SortedMap<Integer, WeightTier> tiers = new TreeMap<>();
    for (int b = layout.count() - blocksToSwap; b < layout.count(); b++) {
      tiers.put(b, tier);
    }
    return new StreamedBlocks(layout, tiers, manager);
  }

  /** @throws IllegalArgumentException unless 0 ≤ blocksToSwap ≤ blocks − 1 */
  public static void checkSwap(int blocksToSwap, int blocks) {
    if (blocksToSwap < 0 || blocksToSwap > blocks - 1) {
      throw new IllegalArgumentException("blocks_to_swap " + blocksToSwap + " is out of range: the model has "
          + blocks + " blocks, so it can swap from 0 to " + (blocks - 1) + " (one block must stay resident)");
    }
  }

  public BlockLayout layout() {
    return layout;
  }

  @Override
  public BlockResidency residency() {
    return this;
  }

  @Override
  public TensorStore blockStore(int block, TensorStore source) {
    Map<String, NDArray> blockViews = views.get(block);
    if (blockViews == null) {
      return source;
    }
    String prefix = layout.prefix().apply(block);
    return new TensorStore() {
      @Override
      public Map<String, long[]> shapes() {
        return source.shapes();
      }

      @Override
      public NDArray load(String key, NDManager manager) {
        NDArray view = key.startsWith(prefix) ? blockViews.get(key.substring(prefix.length())) : null;
        return view != null ? view : source.load(key, manager);
      }
    };
  }

  @Override
  public List<Integer> streamedBlocks() {
    return streamed;
  }

  @Override
  public int slotCount() {
    return slots.size();
  }

  @Override
  public boolean holds(int block) {
    Integer s = slotOf.get(block);
    return s == null || slots.get(s).occupant() == block;
  }

  @Override
  public void bringIn(int block) {
    Integer s = slotOf.get(block);
    if (s != null) {
      slots.get(s).fill(block, layout, tiers.get(block));
    }
  }

  /** Bytes of float32 slot memory (what the streamed blocks occupy while computing). */
  public long slotBytes() {
    return slots.size() * layout.slotBytes();
  }

  /** One block's worth of buffers and the block they currently hold. */
  private static final class Slot {
    private final Map<String, ByteBuffer> buffers = new LinkedHashMap<>();
    private int occupant = EMPTY;

    Slot(BlockLayout layout) {
      layout.streamed().forEach((key, shape) -> buffers.put(key,
          ByteBuffer.allocateDirect(Math.toIntExact(4 * BlockLayout.numel(shape))).order(ByteOrder.nativeOrder())));
    }

    synchronized int occupant() {
      return occupant;
    }

    synchronized void fill(int block, BlockLayout layout, WeightTier tier) {
      if (occupant == block) {
        return;
      }
      occupant = EMPTY; // a failed read leaves the slot marked empty, never half-filled under a block's name
      for (Map.Entry<String, ByteBuffer> e : buffers.entrySet()) {
        tier.read(layout.key(block, e.getKey()), e.getValue().duplicate().order(ByteOrder.LITTLE_ENDIAN).clear());
      }
      occupant = block;
    }
  }
}
