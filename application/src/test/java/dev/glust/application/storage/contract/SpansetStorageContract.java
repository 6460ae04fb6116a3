package dev.glust.application.storage.contract;

import static dev.glust.domain.testing.SampleTelemetry.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.glust.application.port.model.spanset.Comparison;
import dev.glust.application.port.model.spanset.FieldValue;
import dev.glust.application.port.model.spanset.SpanCondition;
import dev.glust.application.port.model.spanset.SpanCondition.Compare;
import dev.glust.application.port.model.spanset.SpanField;
import dev.glust.application.port.model.spanset.SpanField.AttributeField;
import dev.glust.application.port.model.spanset.SpanField.AttributeScope;
import dev.glust.application.port.model.spanset.SpanField.Intrinsic;
import dev.glust.application.port.model.spanset.SpansetMatch;
import dev.glust.application.port.model.spanset.SpansetQuery;
import dev.glust.application.port.model.spanset.SpansetQuery.Aggregate;
import dev.glust.application.port.model.spanset.SpansetQuery.Filter;
import dev.glust.application.port.model.spanset.SpansetQuery.Relation;
import dev.glust.application.port.model.spanset.SpansetSearch;
import dev.glust.application.port.out.SearchSpansetsPort;
import dev.glust.application.port.out.Storage;
import dev.glust.domain.common.AnyValue;
import dev.glust.domain.common.Attribute;
import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.TimeRange;
import dev.glust.domain.common.TraceId;
import dev.glust.domain.tenant.TenantId;
import dev.glust.domain.trace.Span;
import dev.glust.domain.trace.SpanStatus.Code;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link SearchSpansetsPort} promises: the traces {@link SpansetSearch#match} accepts, newest
 * matched span first, limited, within the range; whatever SQL or index narrows them first.
 */
public abstract class SpansetStorageContract {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final TimeRange ALL = new TimeRange(T0 - 1000 * SECOND, T0 + 1000 * SECOND);
  private static final TraceId CART = new TraceId(7, 1);
  private static final TraceId PAY = new TraceId(7, 2);
  private static final TraceId REFUND = new TraceId(7, 3);
  private static final TraceId OLD = new TraceId(7, 4);

  private Storage storage;

  protected abstract Storage openEmptyStorage();

  @BeforeEach
  void open() {
    storage = openEmptyStorage();
    long cart = T0 + SECOND;
    long pay = T0 + 2 * SECOND;
    long refund = T0 + 3 * SECOND;
    storage
        .spans()
        .saveSpans(
            TenantId.DEFAULT,
            List.of(
                span(
                    CART,
                    1,
                    null,
                    "shop",
                    "GET /cart",
                    cart,
                    100 * MS,
                    Code.OK,
                    attrs("http.status_code", 200L)),
                span(
                    CART,
                    2,
                    1,
                    "shop",
                    "db query",
                    cart + MS,
                    20 * MS,
                    Code.UNSET,
                    attrs("db.system", "pg")),
                span(
                    CART,
                    3,
                    2,
                    "shop",
                    "cache",
                    cart + 2 * MS,
                    5 * MS,
                    Code.UNSET,
                    Attributes.EMPTY),
                span(
                    PAY,
                    1,
                    null,
                    "shop",
                    "GET /pay",
                    pay,
                    500 * MS,
                    Code.ERROR,
                    attrs("http.status_code", 500L)),
                span(
                    PAY,
                    2,
                    1,
                    "payments",
                    "charge",
                    pay + MS,
                    300 * MS,
                    Code.ERROR,
                    Attributes.of(new Attribute("flag", AnyValue.of(true)))),
                span(
                    REFUND,
                    1,
                    null,
                    "payments",
                    "POST /refund",
                    refund,
                    50 * MS,
                    Code.UNSET,
                    Attributes.of(new Attribute("http.status_code", AnyValue.of(502.5)))),
                span(
                    REFUND,
                    2,
                    1,
                    "payments",
                    "x",
                    refund + MS,
                    10 * MS,
                    Code.UNSET,
                    Attributes.EMPTY),
                span(
                    OLD,
                    1,
                    null,
                    "shop",
                    "GET /cart",
                    T0 - 2000 * SECOND,
                    100 * MS,
                    Code.OK,
                    Attributes.EMPTY)));
  }

  @AfterEach
  void close() {
    storage.close();
  }

  private static Attributes attrs(String key, Object value) {
    return Attributes.of(
        value instanceof Long l ? Attribute.of(key, l) : Attribute.of(key, (String) value));
  }

  private static Filter where(SpanField field, Comparison op, FieldValue value) {
    return new Filter(new Compare(field, op, value));
  }

  private static FieldValue text(String s) {
    return new FieldValue.Text(s);
  }

  private static FieldValue number(long n) {
    return new FieldValue.Number(BigDecimal.valueOf(n));
  }

  private static AttributeField spanAttribute(String key) {
    return new AttributeField(AttributeScope.SPAN, key);
  }

  private List<SpansetMatch> search(SpansetQuery query, int limit) {
    return storage
        .spansetSearch()
        .searchSpansets(TenantId.DEFAULT, new SpansetSearch(query, ALL, limit));
  }

  private List<TraceId> traces(SpansetQuery query) {
    return search(query, 20).stream().map(m -> m.trace().traceId()).toList();
  }

  @Test
  void attributeEqualityAndOrderingOfEachScope() {
    AttributeField service = new AttributeField(AttributeScope.RESOURCE, "service.name");
    assertThat(
            traces(
                new Filter(
                    new SpanCondition.All(
                        List.of(
                            new Compare(service, Comparison.EQUAL, text("shop")),
                            new Compare(
                                spanAttribute("http.status_code"),
                                Comparison.GREATER_OR_EQUAL,
                                number(500)))))))
        .containsExactly(PAY);
    assertThat(
            traces(
                where(spanAttribute("http.status_code"), Comparison.GREATER_OR_EQUAL, number(500))))
        .containsExactly(REFUND, PAY);
    assertThat(traces(where(service, Comparison.EQUAL, text("payments"))))
        .containsExactly(REFUND, PAY);
    assertThat(
            traces(
                where(
                    new AttributeField(AttributeScope.ANY, "http.status_code"),
                    Comparison.EQUAL,
                    number(200))))
        .containsExactly(CART);
    assertThat(traces(where(spanAttribute("http.status_code"), Comparison.EQUAL, text("200"))))
        .isEmpty();
    assertThat(
            traces(
                where(
                    new AttributeField(AttributeScope.RESOURCE, "host.name"),
                    Comparison.NOT_EQUAL,
                    text("h1"))))
        .isEmpty();
    assertThat(traces(where(spanAttribute("flag"), Comparison.EQUAL, new FieldValue.Bool(true))))
        .containsExactly(PAY);
    assertThat(
            traces(
                new Filter(
                    new SpanCondition.All(
                        List.of(
                            new Compare(
                                spanAttribute("http.status_code"),
                                Comparison.EQUAL,
                                new FieldValue.Nil()),
                            new Compare(Intrinsic.NAME, Comparison.EQUAL, text("x")))))))
        .containsExactly(REFUND);
  }

  @Test
  void intrinsicsOfSpanAndTrace() {
    assertThat(traces(where(Intrinsic.NAME, Comparison.EQUAL, text("GET /cart"))))
        .containsExactly(CART);
    assertThat(traces(where(Intrinsic.NAME, Comparison.MATCHES, text("GET .*"))))
        .containsExactly(PAY, CART);
    assertThat(traces(where(Intrinsic.STATUS, Comparison.EQUAL, new FieldValue.Status(Code.ERROR))))
        .containsExactly(PAY);
    assertThat(
            traces(
                where(Intrinsic.DURATION, Comparison.GREATER, new FieldValue.Duration(100 * MS))))
        .containsExactly(PAY);
    assertThat(
            traces(
                new Filter(
                    new SpanCondition.All(
                        List.of(
                            new Compare(
                                Intrinsic.ROOT_SERVICE_NAME, Comparison.EQUAL, text("shop")),
                            new Compare(
                                Intrinsic.DURATION,
                                Comparison.LESS,
                                new FieldValue.Duration(10 * MS)))))))
        .containsExactly(CART);
    assertThat(
            traces(
                where(
                    Intrinsic.TRACE_DURATION,
                    Comparison.GREATER_OR_EQUAL,
                    new FieldValue.Duration(500 * MS))))
        .containsExactly(PAY);
  }

  @Test
  void spansetsCombineRelateAndAggregate() {
    Filter cart = where(Intrinsic.NAME, Comparison.EQUAL, text("GET /cart"));
    Filter cache = where(Intrinsic.NAME, Comparison.EQUAL, text("cache"));
    Filter db = where(spanAttribute("db.system"), Comparison.EQUAL, text("pg"));
    Filter flagged = where(spanAttribute("flag"), Comparison.EQUAL, new FieldValue.Bool(true));
    Filter every = new Filter(new SpanCondition.Always());
    assertThat(traces(new SpansetQuery.Either(db, flagged))).containsExactly(PAY, CART);
    assertThat(traces(new SpansetQuery.Both(db, flagged))).isEmpty();
    assertThat(traces(new SpansetQuery.Both(cart, db))).containsExactly(CART);
    assertThat(traces(new SpansetQuery.Related(cart, Relation.CHILD, db))).containsExactly(CART);
    assertThat(traces(new SpansetQuery.Related(cart, Relation.CHILD, cache))).isEmpty();
    assertThat(traces(new SpansetQuery.Related(cart, Relation.DESCENDANT, cache)))
        .containsExactly(CART);
    assertThat(
            traces(
                new SpansetQuery.Aggregated(
                    every, Aggregate.COUNT, Comparison.GREATER, BigDecimal.valueOf(2))))
        .containsExactly(CART);
    assertThat(
            traces(
                new SpansetQuery.Aggregated(
                    every, Aggregate.COUNT, Comparison.LESS, BigDecimal.valueOf(3))))
        .containsExactly(REFUND, PAY);
    assertThat(
            traces(
                new SpansetQuery.Aggregated(
                    every,
                    Aggregate.AVG_DURATION,
                    Comparison.GREATER,
                    BigDecimal.valueOf(200 * MS))))
        .containsExactly(PAY);
  }

  @Test
  void matchedSpansSummaryOrderAndLimit() {
    List<SpansetMatch> short30 =
        search(where(Intrinsic.DURATION, Comparison.LESS, new FieldValue.Duration(30 * MS)), 20);
    assertThat(short30).extracting(m -> m.trace().traceId()).containsExactly(REFUND, CART);
    SpansetMatch cart = short30.get(1);
    assertThat(cart.spans()).extracting(Span::name).containsExactly("db query", "cache");
    assertThat(cart.trace().rootSpanName()).isEqualTo("GET /cart");
    assertThat(cart.trace().spanCount()).isEqualTo(3);
    assertThat(cart.trace().durationNanos()).isEqualTo(100 * MS);
    // a regex is judged outside SQL: the newest match still comes first under a limit
    assertThat(search(where(Intrinsic.NAME, Comparison.MATCHES, text("GET .*|charge")), 1))
        .extracting(m -> m.trace().traceId())
        .containsExactly(PAY);
    assertThat(search(new Filter(new SpanCondition.Always()), 2))
        .extracting(m -> m.trace().traceId())
        .containsExactly(REFUND, PAY);
  }
}
