package org.tsumugi.persistence.rocksdb;

/** Marker bound to Pekko's jackson-cbor serializer in application-test.conf. */
public interface CborSerializable {}
