package org.tsumugi.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class HostCopyTest {

  @Test
  void copiesContiguousAndStridedTensorsRowMajor() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] values = new float[24];
      for (int i = 0; i < values.length; i++) {
        values[i] = i * 0.5f - 3.25f;
      }
      NDArray t = m.create(values, new Shape(4, 6));
      assertArrayEquals(values, HostCopy.floats(t));

      float[] transposed = new float[24];
      for (int r = 0; r < 6; r++) {
        for (int c = 0; c < 4; c++) {
          transposed[r * 4 + c] = values[c * 6 + r];
        }
      }
      assertArrayEquals(transposed, HostCopy.floats(t.transpose()), "a strided view, in its own row-major order");
      assertArrayEquals(new float[] {values[7], values[8]}, HostCopy.floats(t.get("1, 1:3")), "a slice");
    }
  }

  @Test
  void refusesOtherTypes() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertThrows(IllegalArgumentException.class, () -> HostCopy.floats(m.zeros(new Shape(3), DataType.INT32)));
    }
  }
}
