/**
 * Where to end a line of at most `width` characters: before its last
 * space, else after its last `/`, `:` or `,` (an ARN, a list), else, for a
 * line with none of them past its first third or quarter, at `width`.
 */
function breakAt(text: string, width: number): number {
  const space = text.lastIndexOf(' ', width);
  if (space >= width / 3) {
    return space;
  }
  for (let end = width; end >= width / 4; end--) {
    if ('/:,'.includes(text[end - 1])) {
      return end;
    }
  }
  return width;
}

/**
 * Breaks a text into lines of at most `width` characters (`restWidth`
 * after the first); nothing is lost but the spaces at a break.
 */
export function wrap(text: string, width: number, restWidth = width): string[] {
  const lines: string[] = [];
  let rest = text;
  let limit = width;
  while (rest.length > limit) {
    const end = breakAt(rest, limit);
    lines.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).trimStart();
    limit = restWidth;
  }
  lines.push(rest);
  return lines;
}

/** The narrowest a wrapped column gets, however deep its indent. */
const MIN_COLUMN = 20;

/**
 * One line of the report wrapped to `width`. The lines it continues on are
 * indented under its text past an item's `- ` or `Fix: `, else 2 deeper
 * than the line itself, so that they do not read as lines of their own.
 */
export function wrapLine(line: string, width: number): string[] {
  if (line.length <= width) {
    return [line];
  }
  const [lead, , marker] = /^(\s*)(- |Fix: )?/.exec(line)!;
  const indent = ' '.repeat(marker ? lead.length : lead.length + 2);
  const [first, ...rest] = wrap(
    line.slice(lead.length),
    Math.max(width - lead.length, MIN_COLUMN),
    Math.max(width - indent.length, MIN_COLUMN),
  );
  return [lead + first, ...rest.map(l => indent + l)];
}
