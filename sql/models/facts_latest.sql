-- materialized: view
-- description: 每条事实的最新版本（其他模型均读此视图） / The latest vintage of every fact: what every other model reads
-- column region_code: 区划代码 / region code
-- column period: 期别 YYYY 或 YYYY-MM（流量为1-N月累计） / period; monthly flows are year-to-date
-- column indicator: 指标代码 / indicator code
-- column value: 数值（目录单位；空=未报送） / value in catalog unit; NULL = not reported
-- column missing_reason: 缺失原因 / why the value is missing
-- column status: 初步 provisional / 核实 final
-- column vintage: 版本（入库批次号） / vintage: the load id
-- column source: 来源文件 / source file
-- column source_row: 来源行号 / row in the source file
-- column loaded_at: 入库时间 / when it was loaded
-- column note: 备注 / note
-- column year: 年份 / year
-- column month: 月份（年度为空） / month, NULL for annual periods
SELECT region_code, period, indicator, value, missing_reason, status, vintage, source, source_row, loaded_at, note,
       CAST(left(period, 4) AS INTEGER) AS year,
       CASE WHEN length(period) = 7 THEN CAST(right(period, 2) AS INTEGER) END AS month
FROM facts
QUALIFY row_number() OVER (PARTITION BY region_code, period, indicator ORDER BY vintage DESC) = 1
