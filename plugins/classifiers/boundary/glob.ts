// A tiny path glob (**, *, ?, {a,b}, [..]) compiled to a RegExp: node's path.matchesGlob is still experimental on Node 20.
const cache = new Map<string, RegExp>();

function escape(char: string): string {
  return /[\\^$.|+()[\]{}*?]/.test(char) ? `\\${char}` : char;
}

export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let out = '';
  let inBraces = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        // "**/" matches zero or more whole segments; a trailing "**" matches everything below.
        out += slashAfter ? '(?:[^/]*(?:/|$))*' : '.*';
        i += slashAfter ? 2 : 1;
      } else out += '[^/]*';
    } else if (char === '?') out += '[^/]';
    else if (char === '{') {
      inBraces++;
      out += '(?:';
    } else if (char === '}' && inBraces > 0) {
      inBraces--;
      out += ')';
    } else if (char === ',' && inBraces > 0) out += '|';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else out += escape(char);
  }
  const regex = new RegExp(`^${out}$`);
  cache.set(glob, regex);
  return regex;
}

/** Normalizes a path (backslashes, leading "./") before matching. */
export function matchesGlob(path: string, glob: string): boolean {
  const normalized = path.replace(/\\/g, '/').replace(/^\.\//, '');
  return globToRegExp(glob).test(normalized);
}
