// Subtask ids from titles: lowercase tokens, at most 40 characters, unique within one plan.

export function slugify(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug === '' ? fallback : slug;
}

/** Returns an id not in `taken` (adding -2, -3, …) and records it. */
export function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base.slice(0, 40 - String(n).length - 1)}-${n}`;
  taken.add(id);
  return id;
}
