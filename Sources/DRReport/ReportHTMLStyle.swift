/// The report page's only style sheet, inline: system fonts, light colours, sizes in rem
/// so print can scale them all, and print rules (white backgrounds, cells that wrap to
/// the page's width, table headers repeated, rows and charts not split).
enum ReportHTMLStyle {
  static let css = """
    :root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --head: #f0f4f8;
      --ok: #1e7b34; --ok-bg: #e6f4ea; --bad: #b42318; --bad-bg: #fdecea; --warn: #8a5a00; --warn-bg: #fff4d6;
      --grey-bg: #eef1f4; --size: #2563eb; --restore: #c2410c;
      --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; }
    * { box-sizing: border-box; }
    html { font-size: 14px; }
    body { margin: 0; color: var(--ink); background: #eef1f4; line-height: 1.5;
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
    main { max-width: 1120px; margin: 0 auto; padding: 2rem 2.5rem 2.5rem; background: #fff; }
    h1 { font-size: 1.7rem; margin: 0 0 0.15rem; }
    h2 { font-size: 1.2rem; margin: 2rem 0 0.6rem; padding-bottom: 0.3rem; border-bottom: 2px solid var(--line); }
    .meta { color: var(--muted); margin: 0 0 1.3rem; }
    code { font-family: var(--mono); font-size: 0.92em; }
    .headline { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 1.3rem; padding: 1rem 1.3rem;
      border: 1px solid; border-left-width: 10px; border-radius: 6px; }
    .headline > div { flex: 1 1 20rem; }
    .headline.fresh { border-color: var(--ok); background: var(--ok-bg); }
    .headline.stale, .headline.none { border-color: var(--bad); background: var(--bad-bg); }
    .headline .state { margin: 0; font-size: 1.45rem; font-weight: 800; letter-spacing: 0.04em; white-space: nowrap; }
    .headline.fresh .state { color: var(--ok); }
    .headline.stale .state, .headline.none .state { color: var(--bad); }
    .headline .summary { margin: 0; font-size: 1.07rem; }
    .headline .summary + .summary { color: var(--muted); font-size: 0.93rem; }
    .counts { display: grid; grid-template-columns: repeat(5, 1fr); gap: 0.85rem; margin: 1.1rem 0 0; }
    .count { border: 1px solid var(--line); border-radius: 6px; padding: 0.55rem 1rem; }
    .count .n { display: block; font-size: 1.85rem; font-weight: 700; line-height: 1.2; }
    .count .what { color: var(--muted); }
    .count.alert .n { color: var(--bad); }
    .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 1.1rem; }
    figure { margin: 0; padding: 0.7rem 0.85rem 0.4rem; border: 1px solid var(--line); border-radius: 6px; }
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
    .notes { margin: 0.7rem 0 0; padding-left: 1.4rem; color: var(--muted); }
    .scroll { overflow-x: auto; }
    table { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
    th, td { padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line);
      white-space: nowrap; }
    th { background: var(--head); font-weight: 600; }
    tbody tr:nth-child(even) td { background: #fafbfc; }
    .num { text-align: right; }
    table.failures td:nth-child(n+3) { white-space: normal; }
    .detail { white-space: pre-wrap; overflow-wrap: anywhere; font-family: var(--mono); font-size: 0.9rem; }
    .badge { display: inline-block; padding: 0 0.6rem; border: 1px solid; border-radius: 0.7rem;
      font-size: 0.85rem; font-weight: 600; white-space: nowrap; }
    .badge.passed { color: var(--ok); background: var(--ok-bg); }
    .badge.failed { color: var(--bad); background: var(--bad-bg); }
    .badge.unverified { color: var(--muted); background: var(--grey-bg); }
    .badge.incomplete { color: var(--warn); background: var(--warn-bg); }
    .none-yet { color: var(--muted); font-style: italic; }
    footer { margin-top: 2rem; color: var(--muted); font-size: 0.85rem; }
    @media screen and (max-width: 820px) {
      main { padding: 1rem; }
      .charts { grid-template-columns: 1fr; }
      .counts { grid-template-columns: repeat(3, 1fr); }
    }
    @media print {
      @page { margin: 12mm; }
      html { font-size: 8pt; }
      body { background: #fff; }
      main { max-width: none; padding: 0; }
      .headline, .count, th, .badge, tbody tr:nth-child(even) td { background: #fff !important; }
      .scroll { overflow: visible; }
      th, td { padding: 0.25rem 0.4rem; white-space: normal; }
      td code, td.num, td.when { white-space: nowrap; }
      table.restores { font-size: 0.9rem; }
      thead { display: table-header-group; }
      tr, figure, .headline, .counts { break-inside: avoid; page-break-inside: avoid; }
      h2 { break-after: avoid; page-break-after: avoid; }
    }
    """
}
