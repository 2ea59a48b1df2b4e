package org.tsumugi.config.dataset;

/** A frame size in pixels: {@code resolution = 960} is 960×960, {@code resolution = [960, 544]} is W×H. */
public record Resolution(int width, int height) {}
