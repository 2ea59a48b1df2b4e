/**
 * Safetensors files: {@link org.tsumugi.engine.io.SafetensorsFile} (memory-mapped reading of one file),
 * {@link org.tsumugi.engine.io.Checkpoint} (one file or a sharded set, tensors into DJL),
 * {@link org.tsumugi.engine.io.SafetensorsWriter} (the library's byte layout, written atomically) with
 * {@link org.tsumugi.engine.io.SafetensorsHashes} (the reference's sshs hashes), and the bf16/f16/f8 conversions
 * (reference/lora-and-ema.md §1.8–1.10).
 */
package org.tsumugi.engine.io;
