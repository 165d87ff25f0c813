-- What the data tests last passed on: when no model is rebuilt and neither
-- the tests nor their inputs changed, the build does not run them again.
CREATE TABLE data_test_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    state_hash VARCHAR NOT NULL,
    passed_at  TIMESTAMPTZ NOT NULL,
    run_id     BIGINT
);
COMMENT ON TABLE data_test_state IS '数据测试最近一次通过时的输入状态 / the state the data tests last passed on';
