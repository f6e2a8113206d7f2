/**
 * Cells of one CSV line, RFC 4180 style: commas separate, a cell may be double-quoted with `""`
 * for a quote inside, and spaces around a cell are dropped. A quoted cell cannot span lines
 * (tick files never need it); an unbalanced quote makes the line unparseable.
 */

/** The cells of a line, trimmed; undefined when its quotes do not balance. */
export function csvCells(line: string): string[] | undefined {
  if (line.indexOf('"') < 0) {
    const cells = line.split(',');
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      const first = c.charCodeAt(0);
      const last = c.charCodeAt(c.length - 1);
      if (first === 32 || first === 9 || last === 32 || last === 9) cells[i] = c.trim();
    }
    return cells;
  }
  const cells: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (line[i] === '"') {
      let cell = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return undefined;
        cell += line.slice(i, q);
        if (line[q + 1] === '"') {
          cell += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
      if (i < n && line[i] !== ',') return undefined;
      cells.push(cell.trim());
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? n : c;
      const cell = line.slice(i, end).trim();
      if (cell.indexOf('"') >= 0) return undefined;
      cells.push(cell);
      i = end;
    }
    if (i >= n) return cells;
    i++; // past the comma
    if (i >= n) {
      cells.push('');
      return cells;
    }
  }
}
