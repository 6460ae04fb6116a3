package dev.glust.adapter.query;

import dev.glust.application.port.in.AccessDecision;
import dev.glust.domain.tenant.TenantId;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.RequestAttribute;
import java.util.Map;

/**
 * {@code GET /api/v1/tenant}: the tenant this request reads and the ones its caller may pick with
 * {@code X-Scope-OrgID}, so the explorer can show the tenant and offer a picker.
 */
@Controller("/api/v1")
class TenantController {
  @Get("/tenant")
  Map<String, Object> tenant(@RequestAttribute(QueryAccessFilter.ACCESS) AccessDecision access) {
    Map<String, Object> out =
        ApiJson.ordered(
            "tenant",
            access.tenant().name(),
            "choices",
            access.tenantChoices().stream().map(TenantId::name).toList());
    out.put("anyTenant", access.tenantChoices().isEmpty());
    return out;
  }
}
