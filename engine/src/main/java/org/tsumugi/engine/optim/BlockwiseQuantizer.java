package org.tsumugi.engine.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Block-wise 8-bit codes of one optimizer moment, as bitsandbytes' CUDA blockwise optimizer kernel keeps them: each
 * block of 256 values stores its absolute maximum in float32 and every value as the index of the nearest entry of a
 * {@link DynamicMap} to value/absmax.
 *
 * <p>Values are worked on as [blocks, 256], the last block padded. The kernel's padding lanes load code 128 (first
 * moment) or 0 (second moment) and take part in the block maximum, so the padding here is those codes too.
 */
final class BlockwiseQuantizer {
  static final int BLOCK = 256;
  private static final int ROOT = 127;

  private final NDArray code;
  private final boolean signed;
  private final long padCode;

  /** {@code signed}: first moment (signed map, sign kept); otherwise second moment (unsigned map). */
  BlockwiseQuantizer(boolean signed, NDManager stateManager) {
    this.signed = signed;
    this.code = stateManager.create(DynamicMap.create(signed, stateManager));
    this.padCode = signed ? 128 : 0;
  }

  static long blocks(long n) {
    return (n + BLOCK - 1) / BLOCK;
  }

  /** code[codes]·absmax as float32 [blocks, 256]; {@code codes} is uint8 [n], {@code absmax} float32 [blocks]. */
  NDArray dequantize(NDArray codes, NDArray absmax) {
    long n = codes.size();
    NDArray index = codes.reshape(-1).toType(DataType.INT64, false);
    long padding = blocks(n) * BLOCK - n;
    if (padding > 0) {
      NDArray pad = codes.getManager().full(new Shape(padding), padCode, DataType.INT64);
      index = NDArrays.concat(new NDList(index, pad));
    }
    return code.take(index).reshape(blocks(n), BLOCK).muli(absmax.reshape(-1, 1));
  }

  /**
   * Stores {@code values} ([blocks, 256]) as the new codes (first n values) and block maxima. The nearest code is
   * found by the kernel's binary search, whose ties go to the even index; the signed map then keeps each value's
   * sign by stepping one code towards it where the nearest code has the other sign (wrapping below 0 as a byte).
   */
  void quantizeInto(NDArray values, NDArray codes, NDArray absmax) {
    NDArray newMax = values.abs().max(new int[] {1});
    NDArray scaled = values.div(newMax.reshape(-1, 1)).reshape(-1);
    NDArray index = nearest(scaled);
    if (signed) {
      index = keepSign(index, values.reshape(-1));
    }
    long n = codes.size();
    NDArray kept = index.get(new NDIndex("0:" + n)).toType(DataType.UINT8, false).reshape(codes.getShape());
    Lerp.assign(codes, kept);
    Lerp.assign(absmax, newMax);
  }

  private NDArray nearest(NDArray x) {
    NDArray pivot = x.getManager().full(x.getShape(), (long) ROOT, DataType.INT64);
    for (int i = 64; i > 0; i >>= 1) {
      NDArray up = x.gt(code.take(pivot));
      pivot.addi(up.toType(DataType.INT64, false).muli(2L * i).subi(i));
    }
    NDArray val = code.take(pivot);
    NDArray above = x.gt(val);
    NDArray upperMid = code.take(pivot.add(1L)).addi(val).muli(0.5f);
    NDArray lowerMid = code.take(pivot.sub(1L).maximum(0L)).addi(val).muli(0.5f);
    NDArray goUp = above.logicalAnd(x.gt(upperMid)).toType(DataType.INT64, false);
    NDArray goDown = above.logicalNot().logicalAnd(x.lt(lowerMid)).toType(DataType.INT64, false);
    // At pivot 0 the kernel's lower neighbour is index 0 itself.
    return pivot.addi(goUp).subi(goDown).maximum(0L);
  }

  private NDArray keepSign(NDArray index, NDArray values) {
    NDArray codeNegative = index.lt((long) ROOT);
    NDArray valueNegative = values.lt(0f).logicalOr(values.getNDArrayInternal().rdiv(1f).lt(0f));
    NDArray differs = codeNegative.logicalXor(valueNegative).toType(DataType.INT64, false);
    NDArray direction = values.gt(0f).toType(DataType.INT64, false).muli(2L).subi(1L);
    return index.add(differs.muli(direction));
  }
}
