/**
 * Minimal CSV reader for the idn-area-data files: comma-separated, optionally RFC 4180 quoted
 * fields. Those files write the apostrophe of names like Soka'an as a bare double quote inside an
 * unquoted field (Soka"an); that quote is kept as the apostrophe it stands for.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.length === 0) continue;
    rows.push(splitLine(line));
  }
  return rows;
}

function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let value = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else {
          value += line[i];
          i++;
        }
      }
      fields.push(value);
      i++; // the comma after the closing quote
    } else {
      const end = line.indexOf(',', i);
      const stop = end < 0 ? line.length : end;
      fields.push(line.slice(i, stop).replaceAll('"', "'"));
      i = stop + 1;
    }
  }
  return fields;
}
