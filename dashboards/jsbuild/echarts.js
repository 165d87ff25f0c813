// The custom ECharts build the site loads as assets/echarts.min.js: only the
// charts and components the pages use (scripts/assets.sh bundles it with the
// pinned esbuild into a global `echarts`, which the map file registers into).
// Adding a chart type to a page means adding it here. The site draws on
// canvas; the monthly bulletin (dashboards/bulletin) draws SVG, which stays
// sharp when printed to PDF, so both renderers are in.
import { use } from 'echarts/core';
import { BarChart, GraphChart, LineChart, MapChart, RadarChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
} from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

use([
  BarChart, GraphChart, LineChart, MapChart, RadarChart,
  GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent,
  VisualMapContinuousComponent, LabelLayout, CanvasRenderer, SVGRenderer,
]);

export * from 'echarts/core';
