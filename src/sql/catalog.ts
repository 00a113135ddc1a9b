/**
 * The analytics contract as the database holds it (views, columns, types and comments), and its
 * rendering as the reference part of docs/analytics.md.
 */

/** One column of an analytics view. */
export interface CatalogColumn {
  name: string;
  /** format_type() of the column, e.g. `numeric`, `timestamp with time zone`. */
  type: string;
  /** COMMENT ON COLUMN (null when missing). */
  comment: string | null;
}

/** One view of the analytics schema. */
export interface CatalogView {
  name: string;
  /** COMMENT ON VIEW (null when missing). */
  comment: string | null;
  columns: CatalogColumn[];
}

/** Reads the views of `analytics`, in name order, with their columns in column order. */
export async function loadAnalyticsCatalog(
  query: (sql: string) => Promise<Record<string, unknown>[]>,
): Promise<CatalogView[]> {
  const rows = await query(
    `SELECT c.relname AS view, obj_description(c.oid, 'pg_class') AS view_comment,
            a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            col_description(c.oid, a.attnum) AS comment
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'analytics' AND c.relkind = 'v'
      ORDER BY c.relname, a.attnum`,
  );
  const views = new Map<string, CatalogView>();
  for (const r of rows) {
    const name = String(r.view);
    let view = views.get(name);
    if (!view) {
      view = { name, comment: (r.view_comment as string | null) ?? null, columns: [] };
      views.set(name, view);
    }
    view.columns.push({ name: String(r.name), type: String(r.type), comment: (r.comment as string | null) ?? null });
  }
  return [...views.values()];
}

/** Short type names for the docs. */
const TYPE_NAMES: Record<string, string> = {
  'timestamp with time zone': 'timestamptz',
  'numeric[]': 'numeric[]',
};

/** Marks where the generated reference starts in docs/analytics.md; everything after it is generated. */
export const DOC_MARKER = '<!-- Generated from the database by `node lib/sql/analyticsDoc.js`: do not edit below. -->';

/** The reference part of docs/analytics.md: one section per view with its columns, types and meanings. */
export function renderAnalyticsReference(views: readonly CatalogView[]): string {
  const cell = (s: string | null) => (s ?? '').replace(/\|/g, '\\|');
  const out: string[] = [DOC_MARKER, ''];
  for (const v of views) {
    out.push(`### analytics.${v.name}`, '', cell(v.comment), '', '| column | type | meaning |', '|---|---|---|');
    for (const c of v.columns) out.push(`| \`${c.name}\` | ${TYPE_NAMES[c.type] ?? c.type} | ${cell(c.comment)} |`);
    out.push('');
  }
  return out.join('\n');
}

/** The reference part of a docs/analytics.md text (from the marker on), or null without the marker. */
export function documentedReference(doc: string): string | null {
  const at = doc.indexOf(DOC_MARKER);
  return at < 0 ? null : doc.slice(at);
}
