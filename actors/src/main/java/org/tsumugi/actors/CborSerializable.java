package org.tsumugi.actors;

/** Marker for messages and events serialised with Jackson CBOR (bound in the actors' reference.conf). */
public interface CborSerializable {}
