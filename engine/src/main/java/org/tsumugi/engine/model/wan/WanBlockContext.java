package org.tsumugi.engine.model.wan;

import ai.djl.ndarray.NDArray;

/**
 * What every block reads besides the token stream.
 *
 * @param e0 time projection [B, 6, D]
 * @param text embedded text context [B, text_len, D]
 * @param image embedded CLIP tokens [B, 257, D] (image-to-video), else null
 * @param rope the grid's rotary tables
 */
public record WanBlockContext(NDArray e0, NDArray text, NDArray image, WanRope.Tables rope) {}
