/**
 * Post-hoc EMA of LoRA checkpoints (reference/lora-and-ema.md §2): the float32 fold in
 * {@link org.tsumugi.engine.ema.PostHocEma}, β schedules ({@link org.tsumugi.engine.ema.EmaSchedule},
 * {@link org.tsumugi.engine.ema.SigmaRel}), the offline merge {@link org.tsumugi.engine.ema.PostHocEmaMerge} and its
 * incremental form {@link org.tsumugi.engine.ema.EmaAccumulator} for a live EMA.
 */
package org.tsumugi.engine.ema;
