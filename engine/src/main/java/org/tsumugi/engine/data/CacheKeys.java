package org.tsumugi.engine.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Cache tensor key → batch name, as the reference's BucketBatchManager maps them (reference/wan-model.md §4.2):
 * drop {@code varlen_}, then (unless the key ends in {@code _mask}) the trailing torch dtype name, longest match
 * first, then for {@code latents_*} keys the {@code _FxHxW} part. The dtype suffix says nothing reliable about the
 * tensor (QUIRK: {@code clip_bfloat16} holds float16), so only the header's dtype is ever used.
 */
public final class CacheKeys {
  private static final String VARLEN = "varlen_";
  private static final String LATENTS = "latents_";
  private static final String MASK = "_mask";
  /** Every name {@code str(torch.dtype)} ends with, longest first (the reference scans torch's dtypes the same way). */
  private static final List<String> TORCH_DTYPES = torchDtypes();

  private CacheKeys() {}

  /** The batch name of a key ({@code latents}, {@code latents_image}, {@code clip}, {@code t5}, ...). */
  public static String batchName(String key) {
    String content = key.startsWith(VARLEN) ? key.replace(VARLEN, "") : key;
    if (content.endsWith(MASK)) {
      return content;
    }
    content = stripDtypeSuffix(content);
    if (content.startsWith(LATENTS)) {
      content = content.substring(0, content.lastIndexOf('_'));
    }
    return content;
  }

  /** The entry a key holds, if the Wan trainer uses it. */
  public static Optional<CacheEntry> entry(String key) {
    return CacheEntry.ofBatchName(batchName(key));
  }

  /** Whether the reference keeps the key's tensors as a list rather than stacking them. */
  public static boolean isVarlen(String key) {
    return key.startsWith(VARLEN);
  }

  /** The {@code FxHxW} text of a {@code latents_*} key (what {@link #batchName} drops), or empty. */
  public static Optional<String> gridPart(String key) {
    String content = stripDtypeSuffix(key);
    if (!content.startsWith(LATENTS)) {
      return Optional.empty();
    }
    return Optional.of(content.substring(content.lastIndexOf('_') + 1));
  }

  /** {@code name} without a trailing {@code _<torch dtype>}, or unchanged if it has none. */
  public static String stripDtypeSuffix(String name) {
    for (String dtype : TORCH_DTYPES) {
      String suffix = "_" + dtype;
      if (name.endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }

  private static List<String> torchDtypes() {
    List<String> names = new ArrayList<>(List.of("float32", "float64", "float16", "bfloat16", "complex32",
        "complex64", "complex128", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64", "bool",
        "qint8", "quint8", "qint32", "quint4x2", "quint2x4", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2",
        "float8_e5m2fnuz", "float8_e8m0fnu", "float4_e2m1fn_x2", "bits8", "bits16", "bits1x8", "bits2x4",
        "bits4x2"));
    for (int bits = 1; bits <= 7; bits++) {
      names.add("int" + bits);
      names.add("uint" + bits);
    }
    names.sort(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()));
    return List.copyOf(names);
  }
}
