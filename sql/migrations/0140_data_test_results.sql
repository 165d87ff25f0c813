-- What each data test last passed on (no rows returned): the test's file and
-- the states of the models and the fingerprints of the tables it reads. A
-- build runs a test again only when that state changed (or on a full
-- refresh), so a build that rebuilt one mart reruns only the tests reading
-- it. Replaces the single all-tests state of data_test_state (kept, unused).
CREATE TABLE data_test_results (
    test       VARCHAR PRIMARY KEY,
    state_hash VARCHAR NOT NULL,
    passed_at  TIMESTAMPTZ NOT NULL,
    run_id     BIGINT
);
COMMENT ON TABLE data_test_results IS '各数据测试最近一次通过时的输入状态 / the state each data test last passed on';
COMMENT ON COLUMN data_test_results.test IS '测试文件 / the test file';
COMMENT ON COLUMN data_test_results.state_hash IS '测试文件及其所读模型与表的状态哈希 / hash of the test and the states of what it reads';
COMMENT ON COLUMN data_test_results.passed_at IS '通过时间 / when it last passed';
COMMENT ON COLUMN data_test_results.run_id IS '所属运行 / run that ran it';
