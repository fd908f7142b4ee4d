/// The report page's only style sheet, inline: system fonts, light colours, and print
/// rules (white backgrounds, table headers repeated, rows and charts not split).
enum ReportHTMLStyle {
  static let css = """
    :root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --head: #f0f4f8;
      --ok: #1e7b34; --ok-bg: #e6f4ea; --bad: #b42318; --bad-bg: #fdecea; --warn: #8a5a00; --warn-bg: #fff4d6;
      --grey-bg: #eef1f4; --size: #2563eb; --restore: #c2410c; }
    * { box-sizing: border-box; }
    body { margin: 0; color: var(--ink); background: #eef1f4;
      font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1120px; margin: 0 auto; padding: 28px 36px 36px; background: #fff; }
    h1 { font-size: 24px; margin: 0 0 2px; }
    h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
    .meta { color: var(--muted); margin: 0 0 18px; }
    code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace;
      font-size: 0.92em; }
    .headline { display: flex; align-items: center; gap: 18px; padding: 14px 18px;
      border: 1px solid; border-left-width: 10px; border-radius: 6px; }
    .headline.fresh { border-color: var(--ok); background: var(--ok-bg); }
    .headline.stale, .headline.none { border-color: var(--bad); background: var(--bad-bg); }
    .headline .state { margin: 0; font-size: 20px; font-weight: 800; letter-spacing: 0.04em; white-space: nowrap; }
    .headline.fresh .state { color: var(--ok); }
    .headline.stale .state, .headline.none .state { color: var(--bad); }
    .headline .summary { margin: 0; font-size: 15px; }
    .headline .summary + .summary { color: var(--muted); font-size: 13px; }
    .counts { display: grid; grid-template-columns: repeat(5, 1fr); gap: 12px; margin: 16px 0 0; }
    .count { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; }
    .count .n { display: block; font-size: 26px; font-weight: 700; line-height: 1.2; }
    .count .what { color: var(--muted); }
    .count.alert .n { color: var(--bad); }
    .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
    figure { margin: 0; padding: 10px 12px 6px; border: 1px solid var(--line); border-radius: 6px; }
    figcaption { font-weight: 600; }
    svg.chart { display: block; width: 100%; height: auto; }
    svg .grid { stroke: #e4e7eb; stroke-width: 1; }
    svg .axis { stroke: #7b8794; stroke-width: 1; }
    svg text { font-family: inherit; }
    svg .tick { font-size: 12px; fill: var(--muted); }
    svg .label { font-size: 13px; fill: var(--ink); }
    svg .empty { font-size: 14px; fill: var(--muted); }
    svg .line { fill: none; stroke-width: 2; stroke-linejoin: round; }
    svg.size .line { stroke: var(--size); }
    svg.size .point { fill: var(--size); }
    svg.restore .line { stroke: var(--restore); }
    svg.restore .point { fill: var(--restore); }
    .notes { margin: 10px 0 0; padding-left: 20px; color: var(--muted); }
    table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { padding: 6px 8px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
    th { background: var(--head); font-weight: 600; white-space: nowrap; }
    tbody tr:nth-child(even) td { background: #fafbfc; }
    .num { text-align: right; white-space: nowrap; }
    td { white-space: nowrap; }
    table.failures td:nth-child(n+3) { white-space: normal; }
    .detail { white-space: pre-wrap; overflow-wrap: anywhere; font-family: ui-monospace, SFMono-Regular, Menlo,
      Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
    .badge { display: inline-block; padding: 0 9px; border: 1px solid; border-radius: 10px;
      font-size: 12px; font-weight: 600; white-space: nowrap; }
    .badge.passed { color: var(--ok); background: var(--ok-bg); }
    .badge.failed { color: var(--bad); background: var(--bad-bg); }
    .badge.unverified { color: var(--muted); background: var(--grey-bg); }
    .badge.incomplete { color: var(--warn); background: var(--warn-bg); }
    .none-yet { color: var(--muted); font-style: italic; }
    footer { margin-top: 28px; color: var(--muted); font-size: 12px; }
    @media (max-width: 820px) {
      main { padding: 16px; }
      .charts { grid-template-columns: 1fr; }
      .counts { grid-template-columns: repeat(3, 1fr); }
    }
    @media print {
      @page { margin: 14mm 12mm; }
      body { background: #fff; font-size: 10.5px; }
      main { max-width: none; padding: 0; }
      .headline, .count, th, .badge, tbody tr:nth-child(even) td { background: #fff !important; }
      thead { display: table-header-group; }
      tr, figure, .headline, .counts { break-inside: avoid; page-break-inside: avoid; }
      h2 { break-after: avoid; page-break-after: avoid; }
      .charts { grid-template-columns: 1fr 1fr; }
    }
    """
}
