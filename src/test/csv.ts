/**
 * A strict RFC 4180 reader for the tests (independent of the server's COPY output): fields separated
 * by commas, records by \n (or \r\n), a quoted field may hold commas, newlines and doubled quotes.
 * Returns every record as an array of fields; a trailing newline ends the last record.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  let fieldStarted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new Error(`CSV: text after a closing quote at offset ${i}`);
        }
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"') {
      if (fieldStarted) throw new Error(`CSV: a quote inside an unquoted field at offset ${i}`);
      quoted = true;
      fieldStarted = true;
      i++;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      fieldStarted = false;
      i++;
    } else if (ch === '\n' || ch === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      fieldStarted = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      fieldStarted = true;
      i++;
    }
  }
  if (quoted) throw new Error('CSV: unterminated quoted field');
  if (fieldStarted || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** Parses a CSV with a header row into objects keyed by the header's names (every record must have all fields). */
export function parseCsvObjects(text: string): { header: string[]; rows: Record<string, string>[] } {
  const [header, ...records] = parseCsv(text);
  if (!header) throw new Error('CSV: no header row');
  const rows = records.map((r, n) => {
    if (r.length !== header.length)
      throw new Error(`CSV: record ${n + 1} has ${r.length} fields, the header ${header.length}`);
    return Object.fromEntries(header.map((name, k) => [name, r[k]]));
  });
  return { header, rows };
}
