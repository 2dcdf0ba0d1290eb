/** The report's inline stylesheet: light, high-contrast, readable printed or on a laptop. */
export const REPORT_CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:20px 24px 48px}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:16px;margin:28px 0 8px}
.target{color:#555;word-break:break-all}
.verdict{font-size:18px;font-weight:600;margin:14px 0;padding:12px 14px;border-radius:6px;background:#fff4e6;border-left:5px solid #d9480f}
.verdict.ok{background:#ebfbee;border-left-color:#2b8a3e}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:8px 12px;min-width:150px}
.card .v{font-size:20px;font-weight:600}
.card .k{color:#666;font-size:12px}
.warn{color:#c92a2a;font-weight:600}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px 14px;margin-top:14px}
section h2{margin-top:0}
svg{width:100%;height:auto;display:block}
.grid{stroke:#e3e6ea;stroke-width:1}
.threshold{stroke:#868e96;stroke-dasharray:5 4;stroke-width:1}
.axis{font-size:11px;fill:#666}
.delay{fill:none;stroke:#2b8a3e;stroke-width:1.6}
.legend{display:flex;flex-wrap:wrap;gap:14px;margin-top:6px;font-size:12px;color:#444}
.legend-item{display:inline-flex;align-items:center;gap:5px}
.swatch{display:inline-block;width:12px;height:12px;border-radius:2px}
.swatch.line{height:3px;background:#2b8a3e}
.swatch.dash{height:0;border-top:2px dashed #868e96}
.heat-row{display:flex;gap:10px;padding:5px 0;border-top:1px solid #f0f1f3;align-items:flex-start}
.heat-file{flex:0 0 300px;font-family:ui-monospace,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px;overflow-wrap:anywhere}
.heat-file .stat{display:block}
.heat-cells{display:flex;flex-wrap:wrap;gap:4px}
.cell{font:12px ui-monospace,Menlo,Consolas,"Liberation Mono",monospace;padding:3px 6px;border-radius:3px;white-space:nowrap}
.cell i{font-style:normal;opacity:.85}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f2}
th{font-size:12px;color:#555}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.loc{font-family:ui-monospace,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px;word-break:break-all}
.dim{color:#777}
.more,.empty{color:#666;font-style:italic}
details.stall-item{border-top:1px solid #f0f1f3;padding:3px 0}
details summary{cursor:pointer;font-family:ui-monospace,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
summary .t{color:#666}
.kind{padding:0 5px;border-radius:3px;color:#fff;font-size:11px}
.kind-cpu{background:#d9480f}.kind-sync-io{background:#1c7ed6}.kind-gc{background:#9c36b5}.kind-native{background:#e8a400}.kind-starved{background:#868e96}
ol.stack{margin:4px 0 6px;padding-left:28px;font:12px ui-monospace,Menlo,Consolas,"Liberation Mono",monospace}
ol.stack li.blame{font-weight:700;background:#fff4e6}
ol.stack li.internal{color:#999}
footer{color:#888;font-size:12px;margin-top:18px}
.lane-bg{fill:#f4f5f7}
.lane-label{font-size:12px;fill:#333}
.lane-process{font-size:12px;font-weight:600;fill:#1d1d1f}
.thread{font-size:11px;padding:0 5px;border-radius:3px;background:#e7f5ff;color:#1864ab}
.hs-choices{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 8px}
.hs-choice{cursor:pointer;border:1px solid #dde1e6;border-radius:12px;padding:1px 10px;font-size:12px}
.hs-pick:focus-visible~.hs-choices{outline:2px solid #1c7ed6}
`;
