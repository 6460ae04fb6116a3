package dev.glust.adapter.kafka;

import dev.glust.domain.tenant.InvalidTenantException;
import dev.glust.domain.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The tenant of a Kafka record travels in a header named as the HTTP header clients send, {@code
 * X-Scope-OrgID}: the name an OpenTelemetry Collector's Kafka exporter writes when told to pass
 * that request metadata on ({@code include_metadata_keys}). A record without it belongs to the
 * default tenant.
 */
final class KafkaTenant {
  static final String HEADER = "X-Scope-OrgID";

  private KafkaTenant() {}

  static Header header(TenantId tenant) {
    return new RecordHeader(HEADER, tenant.name().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @throws InvalidTenantException when the header does not hold a tenant name
   */
  static TenantId of(Headers headers) {
    Header found = null;
    for (Header header : headers) {
      if (header.key().equalsIgnoreCase(HEADER)) {
        found = header; // the last one wins, as Headers.lastHeader would (but case-insensitively)
      }
    }
    if (found == null || found.value() == null || found.value().length == 0) {
      return TenantId.DEFAULT;
    }
    return new TenantId(new String(found.value(), StandardCharsets.UTF_8).strip());
  }
}
