package dev.glust.adapter.otlp.testing;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Sets the tries of fuzz properties from a system property, so the default build runs a few hundred
 * cases and the chaos suite ({@code -Pchaos}) ten thousand or more with the same code. Add it with
 * {@code @AddLifecycleHook(FuzzTries.Receivers.class)} (fast, in-process) or {@code
 * FuzzTries.EndToEnd.class} (the whole application on PostgreSQL: fewer).
 */
public abstract class FuzzTries implements AroundPropertyHook {
  private final String property;
  private final int defaultTries;

  FuzzTries(String property, int defaultTries) {
    this.property = property;
    this.defaultTries = defaultTries;
  }

  /** Put on a test class, it sets the tries of every property in it. */
  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public PropertyExecutionResult aroundProperty(
      PropertyLifecycleContext context, PropertyExecutor property) {
    context.attributes().setTries(Integer.getInteger(this.property, defaultTries));
    return property.execute();
  }

  /** {@code -Dglust.fuzz.tries=N}, default 300. */
  public static final class Receivers extends FuzzTries {
    public Receivers() {
      super("glust.fuzz.tries", 300);
    }
  }

  /** {@code -Dglust.fuzz.e2e.tries=N}, default 60. */
  public static final class EndToEnd extends FuzzTries {
    public EndToEnd() {
      super("glust.fuzz.e2e.tries", 60);
    }
  }
}
