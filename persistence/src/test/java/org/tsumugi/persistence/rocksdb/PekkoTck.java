package org.tsumugi.persistence.rocksdb;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.scalatest.Args;
import org.scalatest.ConfigMap$;
import org.scalatest.DynaTags;
import org.scalatest.Filter;
import org.scalatest.Filter$;
import org.scalatest.Reporter;
import org.scalatest.Status;
import org.scalatest.Stopper;
import org.scalatest.Suite;
import org.scalatest.Tracker;
import org.scalatest.events.Event;
import org.scalatest.events.Ordinal;
import org.scalatest.events.SuiteAborted;
import org.scalatest.events.TestCanceled;
import org.scalatest.events.TestFailed;
import org.scalatest.events.TestIgnored;
import org.scalatest.events.TestSucceeded;
import scala.Option;
import scala.collection.immutable.Map$;
import scala.collection.immutable.Set;
import scala.collection.immutable.Set$;

/**
 * Runs one of Pekko's plugin TCK suites (ScalaTest specs) and turns each of its cases into a JUnit 5 dynamic
 * test that passes only if the case succeeded. A canceled or ignored case, or an aborted suite, fails too.
 */
final class PekkoTck implements Reporter {
  private record Outcome(String name, String failure, Throwable cause) {}

  private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());

  private PekkoTck() {}

  /** ScalaTest's default stopper is a method named {@code default}, which Java cannot call. */
  private static final class NeverStop implements Stopper {
    @Override
    public boolean stopRequested() {
      return false;
    }

    @Override
    public void requestStop() {}
  }

  static Stream<DynamicTest> run(Suite suite) {
    PekkoTck reporter = new PekkoTck();
    Set<String> noTags = Set$.MODULE$.empty();
    Filter everyCase = Filter$.MODULE$.apply(Option.empty(), noTags, false,
        new DynaTags(Map$.MODULE$.empty(), Map$.MODULE$.empty()));
    Args args = Args.apply(reporter, new NeverStop(), everyCase, ConfigMap$.MODULE$.empty(), Option.empty(),
        new Tracker(new Ordinal(0)), noTags, false, Option.empty(), Option.empty());
    Status status = suite.run(Option.empty(), args);
    status.waitUntilCompleted();
    List<Outcome> results = List.copyOf(reporter.outcomes);
    DynamicTest ranCases = DynamicTest.dynamicTest(suite.suiteName() + " ran its cases",
        () -> assertFalse(results.isEmpty(), "the TCK suite reported no test case"));
    return Stream.concat(Stream.of(ranCases), results.stream().map(PekkoTck::asTest));
  }

  private static DynamicTest asTest(Outcome outcome) {
    return DynamicTest.dynamicTest(outcome.name(), () -> {
      if (outcome.failure() != null) {
        fail(outcome.failure(), outcome.cause());
      }
    });
  }

  @Override
  public void apply(Event event) {
    if (event instanceof TestSucceeded succeeded) {
      outcomes.add(new Outcome(succeeded.testName(), null, null));
    } else if (event instanceof TestFailed failed) {
      outcomes.add(new Outcome(failed.testName(), failed.message(), failed.throwable().getOrElse(() -> null)));
    } else if (event instanceof TestCanceled canceled) {
      outcomes.add(new Outcome(canceled.testName(), "canceled: " + canceled.message(), null));
    } else if (event instanceof TestIgnored ignored) {
      outcomes.add(new Outcome(ignored.testName(), "ignored by the TCK", null));
    } else if (event instanceof SuiteAborted aborted) {
      outcomes.add(new Outcome("suite aborted", aborted.message(), aborted.throwable().getOrElse(() -> null)));
    }
  }
}
