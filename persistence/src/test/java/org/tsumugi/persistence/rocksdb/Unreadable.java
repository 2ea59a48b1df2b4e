package org.tsumugi.persistence.rocksdb;

/** A payload that serializes fine but can never be deserialized (see {@link UnreadableSerializer}). */
public record Unreadable(String text) {}
