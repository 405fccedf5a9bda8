/** The report's inline stylesheet (no web fonts, no images: the CSP allows nothing external). */
export const REPORT_CSS = `
:root{--fg:#1c2833;--muted:#5d6d7e;--line:#d5dbdb;--bg:#fbfcfc}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px}h3{font-size:15px;margin:0 0 6px}h4{font-size:13px;margin:14px 0 4px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.muted{color:var(--muted)}
svg{width:100%;height:auto;background:#fff;border:1px solid var(--line);border-radius:6px}
svg text{font-size:11px;fill:var(--muted)}svg .grid{stroke:var(--line)}
.legend{margin:6px 0;display:flex;flex-wrap:wrap;gap:12px;font-size:12px}.key i{display:inline-block;width:10px;height:10px;margin-right:5px;border-radius:2px}
.tops{display:grid;grid-template-columns:repeat(3,1fr);gap:16px}
.top{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 12px;overflow:hidden}
.top table{width:100%;border-collapse:collapse;font-size:12.5px;table-layout:fixed}.top td{padding:2px 4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.top td.num{width:56px;text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
#filter{width:420px;max-width:100%;padding:7px 10px;font-size:14px;border:1px solid #aab7b8;border-radius:5px}
.problem{background:#fff;border:1px solid var(--line);border-radius:6px;margin:8px 0}
.problem summary{cursor:pointer;padding:9px 12px;display:grid;grid-template-columns:64px 220px 1fr 300px;gap:10px;align-items:center}
.problem .count{font-weight:700;font-size:16px;text-align:right;font-variant-numeric:tabular-nums}
.problem .cause{border-left:4px solid;padding-left:6px;font-weight:600;font-size:12.5px}
.problem .who{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
.problem .seen{color:var(--muted);font-size:12px;text-align:right}
.body{padding:4px 16px 14px;border-top:1px solid var(--line)}
.body .summary{font-size:14.5px}
dl{display:grid;grid-template-columns:110px 1fr;gap:2px 10px;font-size:12.5px;margin:8px 0}dt{color:var(--muted)}dd{margin:0;word-break:break-all}
table.evidence{border-collapse:collapse;font-size:12px;width:100%}table.evidence td,table.evidence th{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top;word-break:break-all}
pre{background:#f4f6f6;border:1px solid var(--line);border-radius:5px;padding:8px 10px;white-space:pre-wrap;word-break:break-all;font-size:12px}
.ok{color:#1e8449;font-size:11px;border:1px solid;border-radius:3px;padding:0 4px}.warn{color:#b9770e;font-size:11px;border:1px solid;border-radius:3px;padding:0 4px}
`;
