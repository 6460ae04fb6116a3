package dev.glust.adapter.postgres;

import com.fasterxml.jackson.core.JsonFactory;
import dev.glust.application.port.model.spanset.Comparison;
import dev.glust.application.port.model.spanset.FieldValue;
import dev.glust.application.port.model.spanset.SpanCondition;
import dev.glust.application.port.model.spanset.SpanField;
import dev.glust.application.port.model.spanset.SpanField.AttributeField;
import dev.glust.application.port.model.spanset.SpansetQuery;
import dev.glust.domain.common.TimeRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A spanset query as SQL that narrows the candidate traces: a subquery of (trace_id, at) rows, at
 * being the start of the trace's newest span that passed the SQL test. The SQL test may be looser
 * than the query (then {@code exact} is false); {@link PostgresSpansetSearch} decides each
 * candidate by the query itself, so the SQL only has to keep every trace that matches and give each
 * an {@code at} no earlier than its newest matched span. What becomes which SQL, and the plan it
 * gets, is in docs/traceql.md.
 */
final class SpansetSql {
  private static final JsonFactory JSON = new JsonFactory();

  /** SQL text with its parameters in order; {@code exact}: passes exactly what the query does. */
  record Sql(String text, List<Object> parameters, boolean exact) {
    Sql {
      parameters = List.copyOf(parameters);
    }

    static final Sql TRUE = new Sql("TRUE", List.of(), true);
    static final Sql LOOSE = new Sql("TRUE", List.of(), false);

    boolean narrows() {
      return !text.equals("TRUE");
    }
  }

  private final SqlFilter.ResourceLookup resources;

  /**
   * @param resources tells whether any stored resource has an attribute: when none has it, a {@code
   *     .x} test is the span's own containment, which a sealed partition's GIN index answers
   */
  SpansetSql(SqlFilter.ResourceLookup resources) {
    this.resources = resources;
  }

  /** The candidate traces of the query, as a subquery of (trace_id, at). */
  Sql candidates(SpansetQuery query, TimeRange range) {
    if (query instanceof SpansetQuery.Filter filter) {
      return spans(condition(filter.condition()), range, Optional.empty());
    }
    if (query instanceof SpansetQuery.Both both) {
      return joined(candidates(both.left(), range), candidates(both.right(), range), false);
    }
    if (query instanceof SpansetQuery.Related related) {
      if (related.relation() == SpansetQuery.Relation.CHILD
          && related.parents() instanceof SpansetQuery.Filter parents
          && related.children() instanceof SpansetQuery.Filter children) {
        return spans(
            childOf(condition(parents.condition()), condition(children.condition()), range),
            range,
            Optional.empty());
      }
      // both sides present is necessary; the relation itself is judged in Java
      return joined(
          candidates(related.parents(), range), candidates(related.children(), range), true);
    }
    if (query instanceof SpansetQuery.Either either) {
      return united(candidates(either.left(), range), candidates(either.right(), range));
    }
    SpansetQuery.Aggregated aggregated = (SpansetQuery.Aggregated) query;
    // count() > n over the looser SQL test counts at least the matched spans: still necessary
    if (aggregated.spans() instanceof SpansetQuery.Filter filter
        && aggregated.aggregate() == SpansetQuery.Aggregate.COUNT
        && (aggregated.op() == Comparison.GREATER
            || aggregated.op() == Comparison.GREATER_OR_EQUAL)) {
      Sql having =
          new Sql(
              "count(*) " + aggregated.op().symbol() + " ?",
              List.of(aggregated.threshold()),
              false);
      return spans(condition(filter.condition()), range, Optional.of(having));
    }
    Sql inner = candidates(aggregated.spans(), range);
    return new Sql(inner.text(), inner.parameters(), false);
  }

  private static Sql spans(Sql condition, TimeRange range, Optional<Sql> having) {
    Sql inRange = inRange(condition, range);
    List<Object> parameters = new ArrayList<>(inRange.parameters());
    having.ifPresent(h -> parameters.addAll(h.parameters()));
    return new Sql(
        "SELECT trace_id, max("
            + PostgresMapper.SPAN_START_UNIX_NANO
            + ") AS at FROM spans WHERE "
            + inRange.text()
            + " GROUP BY trace_id"
            + having.map(h -> " HAVING " + h.text()).orElse(""),
        parameters,
        condition.exact() && having.isEmpty());
  }

  /** A span that starts in the range and passes the condition (columns unqualified). */
  private static Sql inRange(Sql condition, TimeRange range) {
    List<Object> parameters = new ArrayList<>();
    parameters.add(SqlFilter.timestamp(range.startUnixNano()));
    parameters.add(SqlFilter.timestamp(range.endUnixNano()));
    parameters.add(range.startUnixNano());
    parameters.add(range.endUnixNano());
    parameters.addAll(condition.parameters());
    return new Sql(
        "start_time >= ? AND start_time <= ? AND "
            + PostgresMapper.SPAN_START_UNIX_NANO
            + " BETWEEN ? AND ?"
            + (condition.narrows() ? " AND " + condition.text() : ""),
        parameters,
        condition.exact());
  }

  /**
   * {@code { P } > { C }}: a child span passing C whose parent, in the range too, passes P. The
   * parent is found by the (trace id, span id) index; its columns, unqualified inside the EXISTS,
   * are the parent's.
   */
  private static Sql childOf(Sql parent, Sql child, TimeRange range) {
    Sql parentInRange = inRange(parent, range);
    List<Object> parameters = new ArrayList<>(child.parameters());
    parameters.addAll(parentInRange.parameters());
    return new Sql(
        (child.narrows() ? child.text() + " AND " : "")
            + "EXISTS (SELECT 1 FROM spans p WHERE p.trace_id = spans.trace_id"
            + " AND p.span_id = spans.parent_span_id AND "
            + parentInRange.text()
            + ")",
        parameters,
        parent.exact() && child.exact());
  }

  /**
   * Both sides present: each side has one row per trace, so a trace on both has two. (A join of the
   * two grouped scans was planned as a nested loop, its row estimates being far too low.)
   */
  private static Sql joined(Sql l, Sql r, boolean loose) {
    Sql union = united(l, r);
    return new Sql(
        union.text() + " HAVING count(*) = 2", union.parameters(), !loose && union.exact());
  }

  private static Sql united(Sql l, Sql r) {
    return new Sql(
        "SELECT trace_id, max(at) AS at FROM (("
            + l.text()
            + ") UNION ALL ("
            + r.text()
            + ")) e GROUP BY trace_id",
        concat(l.parameters(), r.parameters()),
        l.exact() && r.exact());
  }

  // ---- one span's condition ----

  Sql condition(SpanCondition condition) {
    if (condition instanceof SpanCondition.Always) {
      return Sql.TRUE;
    }
    if (condition instanceof SpanCondition.All all) {
      List<Sql> parts = all.conditions().stream().map(this::condition).toList();
      List<Sql> narrowing = parts.stream().filter(Sql::narrows).toList();
      boolean exact = parts.stream().allMatch(Sql::exact);
      if (narrowing.isEmpty()) {
        return exact ? Sql.TRUE : Sql.LOOSE;
      }
      return combined(narrowing, " AND ", exact);
    }
    if (condition instanceof SpanCondition.Any any) {
      List<Sql> parts = any.conditions().stream().map(this::condition).toList();
      boolean exact = parts.stream().allMatch(Sql::exact);
      if (!parts.stream().allMatch(Sql::narrows)) {
        return exact ? Sql.TRUE : Sql.LOOSE; // one side lets every span through
      }
      return combined(parts, " OR ", exact);
    }
    return compare((SpanCondition.Compare) condition);
  }

  private static Sql combined(List<Sql> parts, String operator, boolean exact) {
    List<Object> parameters = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (Sql part : parts) {
      texts.add(part.text());
      parameters.addAll(part.parameters());
    }
    return new Sql("(" + String.join(operator, texts) + ")", parameters, exact);
  }

  private Sql compare(SpanCondition.Compare compare) {
    SpanField field = compare.field();
    Comparison op = compare.op();
    FieldValue value = compare.value();
    if (field instanceof AttributeField attribute) {
      return attribute(attribute, op, value);
    }
    if (op.isRegex()) {
      return Sql.LOOSE; // Java's and PostgreSQL's regex dialects differ: judged in Java
    }
    return switch ((SpanField.Intrinsic) field) {
      case NAME -> column("span_name COLLATE \"C\"", op, ((FieldValue.Text) value).value());
      case STATUS_MESSAGE ->
          column("status_message COLLATE \"C\"", op, ((FieldValue.Text) value).value());
      case STATUS -> column("status_code", op, (short) ((FieldValue.Status) value).code().code());
      case KIND -> column("span_kind", op, (short) ((FieldValue.Kind) value).kind().code());
      case DURATION -> column("duration_nanos", op, ((FieldValue.Duration) value).nanos());
      case ROOT_NAME, ROOT_SERVICE_NAME, TRACE_DURATION -> Sql.LOOSE; // the trace's, in Java
    };
  }

  private static Sql column(String column, Comparison op, Object value) {
    String symbol = op == Comparison.NOT_EQUAL ? "<>" : op.symbol();
    return new Sql(column + " " + symbol + " ?", List.of(value), true);
  }

  /**
   * Equality is a containment test the GIN indexes answer (span attributes: the sealed partitions';
   * resource attributes: the resources table's); ordering of numbers a JSON path test (a filter on
   * the rows the other conditions left). Everything else is judged in Java.
   */
  private Sql attribute(AttributeField attribute, Comparison op, FieldValue value) {
    if (attribute.isServiceName() && op == Comparison.EQUAL && value instanceof FieldValue.Text t) {
      return new Sql("service_name = ?", List.of(t.value()), false);
    }
    String test; // a format: %s is the attributes column
    if (op == Comparison.EQUAL && jsonValue(value).isPresent()) {
      test = "%s @> ?::jsonb";
    } else if (op.isOrdering() && value instanceof FieldValue.Number) {
      test = "jsonb_path_exists(%s, ?::jsonpath)"; // @? would read as a JDBC parameter
    } else {
      return Sql.LOOSE;
    }
    String argument =
        op == Comparison.EQUAL
            ? SqlFilter.json(attribute.key(), jsonValue(value).orElseThrow())
            : "$."
                + quotedKey(attribute.key())
                + " ? (@ "
                + op.symbol()
                + " "
                + ((FieldValue.Number) value).value().toPlainString()
                + ")";
    Sql own = new Sql(String.format(test, "attributes"), List.of(argument), true);
    Sql resource =
        new Sql(
            "resource_id IN (SELECT resource_id FROM resources WHERE "
                + String.format(test, "attributes")
                + ")",
            List.of(argument),
            true);
    boolean exactTest = op == Comparison.EQUAL;
    return switch (attribute.scope()) {
      case SPAN -> new Sql(own.text(), own.parameters(), exactTest);
      case RESOURCE -> new Sql(resource.text(), resource.parameters(), exactTest);
      // a span's own attribute hides its resource's of the same key: either is only necessary;
      // when no resource could match, the span's own test is the whole (and exact) test
      case ANY ->
          op == Comparison.EQUAL && !resources.anyContains(List.of(argument))
              ? own
              : combined(List.of(own, resource), " OR ", false);
    };
  }

  private static Optional<SqlFilter.ValueWriter> jsonValue(FieldValue value) {
    if (value instanceof FieldValue.Text t) {
      return Optional.of(g -> g.writeString(t.value()));
    }
    if (value instanceof FieldValue.Number n) {
      return Optional.of(g -> g.writeNumber(n.value()));
    }
    if (value instanceof FieldValue.Bool b) {
      return Optional.of(g -> g.writeBoolean(b.value()));
    }
    return Optional.empty();
  }

  /** A key as a JSON path string literal: {@code "http.status_code"}. */
  private static String quotedKey(String key) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : key.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private static List<Object> concat(List<Object> a, List<Object> b) {
    List<Object> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
