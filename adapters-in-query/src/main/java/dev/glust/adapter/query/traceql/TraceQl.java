package dev.glust.adapter.query.traceql;

import dev.glust.application.port.model.InvalidQueryException;
import dev.glust.application.port.model.spanset.SpanCondition;
import dev.glust.application.port.model.spanset.SpanField;
import dev.glust.application.port.model.spanset.SpansetQuery;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TraceQL subset Glust answers (docs/traceql.md): parses a query into the application's
 * storage-neutral {@link SpansetQuery}, whose records are the syntax tree. Everything else is
 * refused with a 400 that names the construct and its column, never answered with nothing.
 */
public final class TraceQl {
  /** Longer queries are refused before they are read: nobody types more. */
  static final int MAX_LENGTH = 8192;

  private TraceQl() {}

  public static SpansetQuery parse(String query) {
    if (query.length() > MAX_LENGTH) {
      throw new InvalidQueryException("q", "longer than " + MAX_LENGTH + " characters");
    }
    return new TraceQlParser(TraceQlLexer.tokens(query)).query();
  }

  /**
   * A field as a tag names it in Tempo's tag APIs: {@code resource.service.name}, {@code span.x},
   * {@code .x}, an intrinsic such as {@code status}; a name without scope ({@code http.method}, the
   * older API's form) is an attribute of either scope.
   */
  public static SpanField field(String tag) {
    String name = tag.strip();
    boolean scoped =
        name.startsWith(".") || name.startsWith("span.") || name.startsWith("resource.");
    if (!scoped && name.contains(".")) {
      return new SpanField.AttributeField(SpanField.AttributeScope.ANY, name);
    }
    return new TraceQlParser(TraceQlLexer.tokens(name)).fieldOnly();
  }

  /** The attributes a query names, in order, for answers that show them (Tempo's spansets). */
  public static List<SpanField.AttributeField> namedAttributes(SpansetQuery query) {
    Set<SpanField.AttributeField> out = new LinkedHashSet<>();
    collect(query, out);
    return List.copyOf(out);
  }

  private static void collect(SpansetQuery query, Set<SpanField.AttributeField> out) {
    if (query instanceof SpansetQuery.Filter filter) {
      collect(filter.condition(), out);
    } else if (query instanceof SpansetQuery.Both both) {
      collect(both.left(), out);
      collect(both.right(), out);
    } else if (query instanceof SpansetQuery.Either either) {
      collect(either.left(), out);
      collect(either.right(), out);
    } else if (query instanceof SpansetQuery.Related related) {
      collect(related.parents(), out);
      collect(related.children(), out);
    } else if (query instanceof SpansetQuery.Aggregated aggregated) {
      collect(aggregated.spans(), out);
    }
  }

  private static void collect(SpanCondition condition, Set<SpanField.AttributeField> out) {
    if (condition instanceof SpanCondition.Compare compare
        && compare.field() instanceof SpanField.AttributeField attribute) {
      out.add(attribute);
    } else if (condition instanceof SpanCondition.All all) {
      all.conditions().forEach(c -> collect(c, out));
    } else if (condition instanceof SpanCondition.Any any) {
      any.conditions().forEach(c -> collect(c, out));
    }
  }

  static InvalidQueryException refused(String what, int column) {
    return new InvalidQueryException("q", "unsupported " + what + " at column " + column);
  }
}
