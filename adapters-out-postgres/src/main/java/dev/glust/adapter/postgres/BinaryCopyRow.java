package dev.glust.adapter.postgres;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Writes PostgreSQL's binary COPY format: no text escaping to get wrong, and no parsing of numbers
 * and timestamps on the server. Fields must be written in the column order of the COPY statement.
 */
final class BinaryCopyRow {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0
  };

  /** Microseconds between the unix epoch and PostgreSQL's, 2000-01-01T00:00:00Z. */
  private static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

  private static final byte JSONB_VERSION = 1;

  /** Element type OIDs of the arrays written (pg_type): bigint and double precision. */
  private static final int INT8_OID = 20;

  private static final int FLOAT8_OID = 701;

  /** Bytes of a row identity: 128 bits of SHA-256, far from any accidental collision. */
  static final int IDENTITY_BYTES = 16;

  private final DataOutputStream out;
  private final DigestOutputStream digesting;

  /**
   * JSON already encoded in this COPY, by the object it came from: the spans of one request share
   * their resource and scope, which are then encoded once instead of once per row.
   */
  private final Map<Object, byte[]> encoded = new IdentityHashMap<>();

  private BinaryCopyRow digestOnly;

  /** The tenant id every row starts with, or -1: rows of the writers' own columns only. */
  private final int leadingTenantId;

  BinaryCopyRow(OutputStream out) {
    this(out, -1);
  }

  private BinaryCopyRow(OutputStream out, int leadingTenantId) {
    this.digesting = new DigestOutputStream(out, sha256());
    this.digesting.on(false);
    this.out = new DataOutputStream(digesting);
    this.leadingTenantId = leadingTenantId;
  }

  /**
   * Rows that start with {@code tenantId} (a {@code tenant_id} column first, before what the
   * writers write): given, the column's default ({@code glust_tenant()}, a setting read per row) is
   * not evaluated.
   */
  static BinaryCopyRow ofTenant(OutputStream out, short tenantId) {
    return new BinaryCopyRow(out, tenantId);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** From now on the encoded fields also feed the row's identity, until {@link #identity}. */
  void beginIdentity() {
    digesting.getMessageDigest().reset();
    digesting.on(true);
  }

  /**
   * The identity of the fields written since {@link #beginIdentity}: equal rows, equal identity,
   * because the binary encoding of a value is unique (JSON included: it is written by one codec).
   */
  byte[] identity() throws IOException {
    out.flush(); // DataOutputStream does not buffer, but be explicit: every byte is digested
    digesting.on(false);
    return Arrays.copyOf(digesting.getMessageDigest().digest(), IDENTITY_BYTES);
  }

  /**
   * A row writing nowhere, for identities of fields in an encoding other than this row's (it has
   * its own {@link #jsonbOnce} memory); made once per COPY.
   */
  BinaryCopyRow digestOnly() {
    if (digestOnly == null) {
      digestOnly = new BinaryCopyRow(OutputStream.nullOutputStream());
    }
    return digestOnly;
  }

  <K> void jsonbOnce(K owner, Function<K, byte[]> encoder) throws IOException {
    jsonb(encoded.computeIfAbsent(owner, o -> encoder.apply(owner)));
  }

  void header() throws IOException {
    out.write(SIGNATURE);
    out.writeInt(0); // flags: no OIDs
    out.writeInt(0); // no header extension
  }

  void start(int fieldCount) throws IOException {
    if (leadingTenantId < 0) {
      out.writeShort(fieldCount);
    } else {
      out.writeShort(fieldCount + 1);
      int2(leadingTenantId);
    }
  }

  void trailer() throws IOException {
    out.writeShort(-1);
    out.flush();
  }

  void nullValue() throws IOException {
    out.writeInt(-1);
  }

  void bytea(byte[] value) throws IOException {
    if (value == null) {
      nullValue();
      return;
    }
    out.writeInt(value.length);
    out.write(value);
  }

  void text(String value) throws IOException {
    bytea(value.getBytes(StandardCharsets.UTF_8));
  }

  void int2(int value) throws IOException {
    out.writeInt(2);
    out.writeShort(value);
  }

  void int4(int value) throws IOException {
    out.writeInt(4);
    out.writeInt(value);
  }

  void int8(long value) throws IOException {
    out.writeInt(8);
    out.writeLong(value);
  }

  /** TIMESTAMPTZ holds microseconds; the exact nanoseconds live in a BIGINT column beside it. */
  void timestamptz(long unixNano) throws IOException {
    out.writeInt(8);
    out.writeLong(Math.floorDiv(unixNano, 1000L) - PG_EPOCH_MICROS);
  }

  void jsonb(byte[] utf8Json) throws IOException {
    if (utf8Json == null) {
      nullValue();
      return;
    }
    out.writeInt(utf8Json.length + 1);
    out.writeByte(JSONB_VERSION);
    out.write(utf8Json);
  }

  void bool(boolean value) throws IOException {
    out.writeInt(1);
    out.writeByte(value ? 1 : 0);
  }

  void float8(double value) throws IOException {
    out.writeInt(8);
    out.writeDouble(value); // IEEE 754 big-endian, NaN and infinities included: PostgreSQL's own
  }

  /** An optional OTLP double: NULL when absent. */
  void float8(OptionalDouble value) throws IOException {
    if (value.isPresent()) {
      float8(value.getAsDouble());
    } else {
      nullValue();
    }
  }

  void int8Array(List<Long> values) throws IOException {
    arrayHeader(INT8_OID, values.size());
    for (long value : values) {
      int8(value);
    }
  }

  void float8Array(List<Double> values) throws IOException {
    arrayHeader(FLOAT8_OID, values.size());
    for (double value : values) {
      float8(value);
    }
  }

  /**
   * A one-dimensional array of 8-byte elements without NULLs (array_send's format): dimensions, a
   * has-nulls flag, the element type, then per dimension its size and lower bound (1). An empty
   * array has no dimension.
   */
  private void arrayHeader(int elementOid, int size) throws IOException {
    boolean empty = size == 0;
    out.writeInt(12 + (empty ? 0 : 8) + size * (4 + 8));
    out.writeInt(empty ? 0 : 1);
    out.writeInt(0);
    out.writeInt(elementOid);
    if (!empty) {
      out.writeInt(size);
      out.writeInt(1);
    }
  }
}
