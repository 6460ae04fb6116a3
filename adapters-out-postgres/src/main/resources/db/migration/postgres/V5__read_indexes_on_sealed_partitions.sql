-- Writes pay only for writes: the GIN indexes that serve only reads (attribute containment on
-- spans and logs, trigram text on log bodies) leave the partitioned parents, which cloned them
-- onto every partition, hot ones included; their upkeep halved the COPY rate. PartitionSealer
-- builds them per partition once a partition is sealed (its range is over, plus GLUST_SEAL_AFTER),
-- with CREATE INDEX CONCURRENTLY, including on every partition that existed before this migration.
-- Dropping a partitioned index drops its partitions' indexes; no row changes.

DROP INDEX spans_attributes_idx, logs_attributes_idx, logs_body_text_idx;
