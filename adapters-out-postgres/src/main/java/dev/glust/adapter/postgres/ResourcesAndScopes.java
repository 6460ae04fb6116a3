package dev.glust.adapter.postgres;

import dev.glust.domain.common.Attributes;
import dev.glust.domain.common.InstrumentationScope;
import dev.glust.domain.common.Resource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The {@code resources} and {@code scopes} tables (migration V6): each resource and instrumentation
 * scope stored once, spans and logs referencing them by id.
 *
 * <p>Writing: a batch's distinct resources and scopes that this instance has not stored yet are
 * inserted in the batch's transaction, before its rows, in one statement each that also computes
 * their ids with the schema's own functions ({@code glust_resource_id}, {@code glust_scope_id}), so
 * an id has one definition, shared with the migration of older rows. Ids are remembered after the
 * commit only (a rolled-back insert leaves nothing remembered); the rows are never deleted, so a
 * remembered id stays valid.
 *
 * <p>Reading: the rows of a result page are read with their ids, the distinct ids are loaded in one
 * more query (or found among those read before: a stored resource never changes) and attached in
 * Java.
 */
final class ResourcesAndScopes {
  /** Distinct resources and scopes remembered per direction; a deployment has far fewer. */
  static final int REMEMBERED = 10_000;

  /**
   * Ids in input order, computed and inserted by one statement; inserted in id order so that
   * concurrent writers lock the rows of the primary key in one order and cannot deadlock.
   */
  private static final String STORE_RESOURCES =
      "WITH given AS (SELECT i, glust_resource_id(a::jsonb, d, s) AS id, d, s, a::jsonb AS a"
          + " FROM unnest(?::text[], ?::int[], ?::text[]) WITH ORDINALITY AS u(a, d, s, i)),"
          + " stored AS (INSERT INTO resources"
          + " (resource_id, dropped_attributes_count, schema_url, attributes)"
          + " SELECT id, d, s, a FROM given ORDER BY id ON CONFLICT DO NOTHING)"
          + " SELECT id FROM given ORDER BY i";

  private static final String STORE_SCOPES =
      "WITH given AS (SELECT i, glust_scope_id(n, v, a::jsonb, d, s) AS id, n, v, d, s,"
          + " a::jsonb AS a FROM unnest(?::text[], ?::text[], ?::text[], ?::int[], ?::text[])"
          + " WITH ORDINALITY AS u(n, v, a, d, s, i)),"
          + " stored AS (INSERT INTO scopes"
          + " (scope_id, dropped_attributes_count, name, version, schema_url, attributes)"
          + " SELECT id, d, n, v, s, a FROM given ORDER BY id ON CONFLICT DO NOTHING)"
          + " SELECT id FROM given ORDER BY i";

  /**
   * What this instance stored, per tenant: each tenant has rows of its own (the same resource of
   * two tenants is two rows with one id), so one tenant's stored resource says nothing of
   * another's.
   */
  private final Map<Stored<Resource>, byte[]> storedResources = bounded();

  private final Map<Stored<InstrumentationScope>, byte[]> storedScopes = bounded();

  /** A resource or scope stored for a tenant. */
  private record Stored<K>(TenantScope tenant, K value) {}

  /** Read ones need no tenant: an id is a hash of the content, the same for every tenant. */
  private final Map<ByteBuffer, Resource> readResources = bounded();

  private final Map<ByteBuffer, InstrumentationScope> readScopes = bounded();

  private static <K, V> Map<K, V> bounded() {
    return Collections.synchronizedMap(
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > REMEMBERED;
          }
        });
  }

  // ---- writing ----

  /** The ids of one batch's resources and scopes. */
  static final class BatchIds {
    private final TenantScope tenant;
    private final Map<Object, byte[]> byObject = new IdentityHashMap<>();
    private final Map<Resource, byte[]> newResources = new HashMap<>();
    private final Map<InstrumentationScope, byte[]> newScopes = new HashMap<>();

    private BatchIds(TenantScope tenant) {
      this.tenant = tenant;
    }

    byte[] resource(Resource resource) {
      return id(resource);
    }

    byte[] scope(InstrumentationScope scope) {
      return id(scope);
    }

    private byte[] id(Object owner) {
      byte[] id = byObject.get(owner);
      if (id == null) {
        throw new IllegalStateException("not stored with the batch: " + owner);
      }
      return id;
    }
  }

  /**
   * Stores the resources and scopes of {@code records} that are not known to be stored, in the
   * connection's transaction (which is {@code tenant}'s), and returns the ids of all of them.
   */
  <T> BatchIds store(
      TenantScope tenant,
      Connection connection,
      List<T> records,
      Function<T, Resource> resourceOf,
      Function<T, InstrumentationScope> scopeOf)
      throws SQLException {
    BatchIds ids = new BatchIds(tenant);
    Unknown<Resource> resources = new Unknown<>(storedResources, ids.newResources);
    Unknown<InstrumentationScope> scopes = new Unknown<>(storedScopes, ids.newScopes);
    for (T record : records) {
      resources.collect(resourceOf.apply(record), ids);
      scopes.collect(scopeOf.apply(record), ids);
    }
    if (!resources.distinct.isEmpty()) {
      List<Resource> r = resources.distinct;
      resources.assign(
          storeNew(
              connection,
              STORE_RESOURCES,
              new Object[][] {
                r.stream().map(x -> json(x.attributes())).toArray(String[]::new),
                r.stream().map(x -> x.attributes().droppedCount()).toArray(Integer[]::new),
                r.stream().map(Resource::schemaUrl).toArray(String[]::new)
              },
              new String[] {"text", "int4", "text"}),
          ids);
    }
    if (!scopes.distinct.isEmpty()) {
      List<InstrumentationScope> s = scopes.distinct;
      scopes.assign(
          storeNew(
              connection,
              STORE_SCOPES,
              new Object[][] {
                s.stream().map(InstrumentationScope::name).toArray(String[]::new),
                s.stream().map(InstrumentationScope::version).toArray(String[]::new),
                s.stream().map(x -> json(x.attributes())).toArray(String[]::new),
                s.stream().map(x -> x.attributes().droppedCount()).toArray(Integer[]::new),
                s.stream().map(InstrumentationScope::schemaUrl).toArray(String[]::new)
              },
              new String[] {"text", "text", "text", "int4", "text"}),
          ids);
    }
    return ids;
  }

  /** After the batch's commit: its new resources and scopes are stored for good. */
  void committed(BatchIds ids) {
    ids.newResources.forEach((r, id) -> storedResources.put(new Stored<>(ids.tenant, r), id));
    ids.newScopes.forEach((s, id) -> storedScopes.put(new Stored<>(ids.tenant, s), id));
  }

  /** The resources (or scopes) of a batch whose id is not known yet. */
  private static final class Unknown<K> {
    private final Map<Stored<K>, byte[]> stored;
    private final Map<K, byte[]> batchNew;

    /** One of each value: what is stored. */
    final List<K> distinct = new ArrayList<>();

    /** Every object with such a value: what gets the id. */
    private final List<K> objects = new ArrayList<>();

    Unknown(Map<Stored<K>, byte[]> stored, Map<K, byte[]> batchNew) {
      this.stored = stored;
      this.batchNew = batchNew;
    }

    void collect(K owner, BatchIds ids) {
      if (ids.byObject.containsKey(owner)) {
        return; // the usual case: the records of one request share their resource and scope
      }
      byte[] id = stored.get(new Stored<>(ids.tenant, owner));
      if (id != null) {
        ids.byObject.put(owner, id);
        return;
      }
      ids.byObject.put(owner, null); // pending: the next record of this object is skipped above
      objects.add(owner);
      if (!batchNew.containsKey(owner)) {
        batchNew.put(owner, null);
        distinct.add(owner);
      }
    }

    void assign(List<byte[]> storedIds, BatchIds ids) {
      for (int i = 0; i < distinct.size(); i++) {
        batchNew.put(distinct.get(i), storedIds.get(i));
      }
      for (K owner : objects) {
        ids.byObject.put(owner, batchNew.get(owner));
      }
    }
  }

  private static List<byte[]> storeNew(
      Connection connection, String sql, Object[][] columns, String[] types) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < columns.length; i++) {
        statement.setArray(i + 1, connection.createArrayOf(types[i], columns[i]));
      }
      List<byte[]> ids = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getBytes(1));
        }
      }
      return ids;
    }
  }

  private static String json(Attributes attributes) {
    return new String(JsonbCodec.attributes(attributes), StandardCharsets.UTF_8);
  }

  // ---- reading ----

  /** A record read without its resource and scope, which it gets by id. */
  record Unattached<T>(
      byte[] resourceId,
      byte[] scopeId,
      BiFunction<Resource, InstrumentationScope, T> withResourceAndScope) {}

  /** The records with their resources and scopes, loaded in one query each for those not known. */
  <T> List<T> attach(SqlReads reads, TenantScope tenant, List<Unattached<T>> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Map<ByteBuffer, Resource> resources =
        load(
            reads,
            tenant,
            rows.stream().map(Unattached::resourceId).toList(),
            readResources,
            "SELECT resource_id, attributes, dropped_attributes_count, schema_url FROM resources"
                + " WHERE resource_id = ANY (?)",
            rs ->
                new Resource(
                    JsonbCodec.readAttributes(rs.getString(2), rs.getInt(3)), rs.getString(4)));
    Map<ByteBuffer, InstrumentationScope> scopes =
        load(
            reads,
            tenant,
            rows.stream().map(Unattached::scopeId).toList(),
            readScopes,
            "SELECT scope_id, name, version, attributes, dropped_attributes_count, schema_url"
                + " FROM scopes WHERE scope_id = ANY (?)",
            rs ->
                new InstrumentationScope(
                    rs.getString(2),
                    rs.getString(3),
                    JsonbCodec.readAttributes(rs.getString(4), rs.getInt(5)),
                    rs.getString(6)));
    List<T> out = new ArrayList<>(rows.size());
    for (Unattached<T> row : rows) {
      out.add(
          row.withResourceAndScope()
              .apply(
                  found(resources, row.resourceId(), "resource"),
                  found(scopes, row.scopeId(), "scope")));
    }
    return out;
  }

  private static <V> V found(Map<ByteBuffer, V> loaded, byte[] id, String what) {
    V value = loaded.get(ByteBuffer.wrap(id));
    if (value == null) {
      throw new IllegalStateException("a stored record references a missing " + what);
    }
    return value;
  }

  private static <V> Map<ByteBuffer, V> load(
      SqlReads reads,
      TenantScope tenant,
      List<byte[]> ids,
      Map<ByteBuffer, V> known,
      String sql,
      SqlReads.RowReader<V> reader) {
    Map<ByteBuffer, V> out = new HashMap<>();
    List<byte[]> missing = new ArrayList<>();
    for (byte[] id : ids) {
      ByteBuffer key = ByteBuffer.wrap(id);
      if (out.containsKey(key)) {
        continue;
      }
      V value = known.get(key);
      out.put(key, value);
      if (value == null) {
        missing.add(id);
      }
    }
    if (!missing.isEmpty()) {
      reads
          .list(
              tenant,
              "loading resources and scopes",
              sql,
              s ->
                  s.setArray(
                      1, s.getConnection().createArrayOf("bytea", missing.toArray(byte[][]::new))),
              rs -> Map.entry(ByteBuffer.wrap(rs.getBytes(1)), reader.read(rs)))
          .forEach(
              e -> {
                out.put(e.getKey(), e.getValue());
                known.put(e.getKey(), e.getValue());
              });
    }
    return out;
  }
}
