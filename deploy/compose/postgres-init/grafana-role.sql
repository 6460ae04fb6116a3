-- Run once by the postgres image when it creates the database (docker-entrypoint-initdb.d):
-- a read-only role for Grafana's PostgreSQL data source. Glust creates its tables later, as
-- glust, so SELECT is granted on the tables glust will create.
CREATE ROLE grafana LOGIN PASSWORD 'grafana';
GRANT USAGE ON SCHEMA public TO grafana;
ALTER DEFAULT PRIVILEGES FOR ROLE glust IN SCHEMA public GRANT SELECT ON TABLES TO grafana;
