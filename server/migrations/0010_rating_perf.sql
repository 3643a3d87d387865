-- Rating throughput (issue 3): the rating process keeps each line's rating
-- state (balance, buckets, status, alerts raised) in memory. Lines fall into
-- 64 partitions by the last four digits of their number. Every writer to a
-- line bumps its partition's epoch in the same transaction (the row lock also
-- serialises it with rating); a rating batch locks the partitions it touches
-- and trusts its cached lines only when the epoch is the one it last wrote.
CREATE TABLE rating_partition (
  p      integer CONSTRAINT rating_partition_pk PRIMARY KEY CONSTRAINT rating_partition_p_ck CHECK (p >= 0 AND p < 64),
  epoch  bigint  NOT NULL DEFAULT 0
) WITH (fillfactor = 50);
INSERT INTO rating_partition (p) SELECT generate_series(0, 63);
