package dev.glust.adapter.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Runs read-only statements with a time limit and turns failures into the ports' errors. */
final class SqlReads {
  /** A query that takes longer is cancelled: the API answers 503 instead of hanging. */
  private static final int QUERY_TIMEOUT_SECONDS = 30;

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
      statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
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
