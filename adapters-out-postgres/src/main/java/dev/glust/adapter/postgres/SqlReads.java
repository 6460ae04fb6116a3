package dev.glust.adapter.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runs read-only statements on the query pool and turns failures into the ports' errors. The pool's
 * sessions carry the query timeout ({@code statement_timeout}): a query running longer is
 * cancelled, and the API answers 503 instead of hanging.
 */
final class SqlReads {
  private final DataSource dataSource;

  SqlReads(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  <T> List<T> list(String what, String sql, Binder binder, RowReader<T> reader) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement statement = c.prepareStatement(sql)) {
      binder.bind(statement);
      try (ResultSet rs = statement.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(reader.read(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw PostgresErrorTranslator.translate(what, e);
    }
  }
}
