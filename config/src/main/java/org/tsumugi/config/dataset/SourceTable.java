package org.tsumugi.config.dataset;

import java.util.Map;

/** A table of a dataset file (TOML table or HOCON object), keys in file order, with the table's own place. */
record SourceTable(Map<String, SourceValue> entries, String where) {}
