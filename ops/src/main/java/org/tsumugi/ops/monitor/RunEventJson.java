package org.tsumugi.ops.monitor;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import org.tsumugi.actors.RunEvent;

/**
 * The JSON form of a run event: one object holding {@code "type"} (the record's simple name, e.g.
 * {@code "StepsCompleted"}) and the record's fields. Used for each line of the event log and each server-sent event.
 */
public final class RunEventJson {

  private static final ObjectMapper MAPPER = newMapper();

  private RunEventJson() {}

  public static String write(RunEvent event) {
    try {
      return MAPPER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + event.getClass().getSimpleName() + " as JSON", e);
    }
  }

  public static RunEvent read(String json) throws JsonProcessingException {
    return MAPPER.readValue(json, RunEvent.class);
  }

  /** The mapper also serves plain status objects (the live page's {@code /status}). */
  static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper newMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.addMixIn(RunEvent.class, TypedByName.class);
    for (Class<?> type : RunEvent.class.getPermittedSubclasses()) {
      mapper.registerSubtypes(new NamedType(type, type.getSimpleName()));
    }
    // A log written by a later version may carry fields this one does not know: show what it can.
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    return mapper;
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
  private interface TypedByName {}
}
