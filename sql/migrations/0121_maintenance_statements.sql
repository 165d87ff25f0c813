-- Every statement of a maintenance session (`innowatch sql --write --reason
-- "…"`), with the rows it changed: the run history says who changed what,
-- why (runs.details.reason) and how much. Facts, loads and lineage cannot be
-- changed there at all: corrections enter as new vintages through ingest.
CREATE TABLE maintenance_statements (
    run_id      BIGINT NOT NULL,
    seq         INTEGER NOT NULL,
    statement   VARCHAR NOT NULL,
    rows        BIGINT,
    error       VARCHAR,
    executed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (run_id, seq)
);
COMMENT ON TABLE maintenance_statements IS '维护会话执行的每条语句及影响行数 / every statement of a maintenance session (sql --write) and the rows it changed';
