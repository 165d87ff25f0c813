-- A run can be 'partial': it did its job but refused part of its input (an
-- inbox run that refused files; the refused files are alerted). DuckDB cannot
-- change a CHECK constraint in place, and an ALTER TABLE on a table with a
-- nextval() default is what DuckDB 1.5 fails to replay from its WAL, so the
-- table is rebuilt with CREATE/INSERT/DROP instead (the migration runner
-- checkpoints right after). Ids, the sequence and every row are kept.
CREATE TABLE runs_before_0120 AS SELECT * FROM runs;
DROP TABLE runs;
CREATE TABLE runs (
    id           BIGINT PRIMARY KEY DEFAULT nextval('runs_id_seq'),
    kind         VARCHAR NOT NULL,
    job          VARCHAR,
    trigger      VARCHAR NOT NULL DEFAULT 'manual',
    status       VARCHAR NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'aborted', 'skipped')),
    scheduled_at TIMESTAMPTZ,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ,
    attempts     INTEGER NOT NULL DEFAULT 1,
    error        VARCHAR,
    details      JSON,
    pid          INTEGER,
    host         VARCHAR
);
INSERT INTO runs SELECT * FROM runs_before_0120;
DROP TABLE runs_before_0120;
COMMENT ON TABLE runs IS '运行记录（每次导入、构建、渲染、发布） / every run: ingest, build, render, bulletin, job';
COMMENT ON COLUMN runs.kind IS '做什么：ingest, build, render, run, 或定时任务的步骤（如 inbox+build+render） / what the run did';
COMMENT ON COLUMN runs.job IS '定时任务名称（手动命令为空） / scheduled job name; NULL for a manual command';
COMMENT ON COLUMN runs.trigger IS '触发方式 cron 定时 / catch-up 补跑 / manual 手动 / why the run started';
COMMENT ON COLUMN runs.status IS '状态 running 运行中 / succeeded 成功（结果已发布） / partial 部分（有文件被拒收） / failed 失败 / aborted 中断 / skipped 跳过 / outcome';
COMMENT ON COLUMN runs.scheduled_at IS '计划时间（定时任务的时间槽） / the schedule slot the run belongs to';
COMMENT ON COLUMN runs.attempts IS '第几次尝试（跳过为0） / attempt number of this row; 0 for a skipped firing';
COMMENT ON COLUMN runs.details IS '计数（文件、事实、模型、页面…） / counts: files, facts, models, pages…';
