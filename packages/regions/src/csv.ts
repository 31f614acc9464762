/**
 * Minimal CSV reader for the idn-area-data files: comma-separated, optionally RFC 4180 quoted
 * fields. Those files write the apostrophe of names like Soka'an as a bare double quote inside an
 * unquoted field (Soka"an); that quote is kept as the apostrophe it stands for.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  // Split on the character, not a regular expression: V8 keeps the last regular expression's subject (here
  // a whole file) reachable as RegExp.input until the next match, which kept megabytes alive after a load.
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
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
